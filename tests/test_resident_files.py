"""The files residents have: an iPhone's photo (HEIC), kept as a JPEG staff can open, and short MP4
or MOV videos, each typed by its content, with the limits stated before anything is chosen."""

from __future__ import annotations

import io
from datetime import date
from unittest import mock

import pillow_heif
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from putright.complaints import actions
from putright.complaints.errors import InvalidInput
from putright.complaints.models import Complaint, Event
from putright.documents import filetypes, staging
from putright.documents.limits import ATTACHMENT_MAX_BYTES, VIDEO_MAX_BYTES, resident_file_problem
from putright.documents.models import Attachment, PendingAttachment
from tests.cast import log, make_cast
from tests.portal_support import BASE, answer_all, follow, make_complaint, png, submit
from tests.test_portal_documents import EXECUTABLE, PAGE, MediaTestCase, answer_until_documents, send_files
from tests.test_workspace_support import complaint_url, signed_in

TODAY = date(2025, 6, 16)
TAKEN = "2025:06:02 08:15:00"

# The smallest MP4 and MOV a phone could write: the "ftyp" box with its brands, then the movie's boxes.
MP4 = (
    b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
    + b"\x00\x00\x00\x08moov"
    + b"\x00\x00\x00\x10mdat"
    + b"\x00" * 8
)
MOV = b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  " + b"\x00\x00\x00\x08wide" + b"\x00\x00\x00\x10mdat" + b"\x01" * 8
M4A = b"\x00\x00\x00\x18ftypM4A \x00\x00\x02\x00M4A isom" + b"\x00\x00\x00\x08moov"


def heic(width: int = 64, height: int = 48) -> bytes:
    """An iPhone's kind of photo, made here with pillow-heif, with the time it was taken in its EXIF."""
    picture = Image.new("RGB", (width, height), (180, 40, 30))
    exif = Image.Exif()
    exif[0x0132] = TAKEN  # DateTime
    out = io.BytesIO()
    pillow_heif.from_pillow(picture).save(out, format="HEIF", quality=90, exif=exif.tobytes())
    return out.getvalue()


def upload(name: str, content: bytes, claimed: str = "application/octet-stream") -> SimpleUploadedFile:
    # What the browser claims is ignored: only the content counts.
    return SimpleUploadedFile(name, content, content_type=claimed)


class TypedByContentTests(MediaTestCase):
    def test_heic_mp4_and_mov_are_known_by_their_ftyp_box_whatever_their_names(self) -> None:
        assert filetypes.content_type(upload("anything.bin", heic())) == "image/heic"
        assert filetypes.content_type(upload("clip.txt", MP4)) == "video/mp4"
        assert filetypes.content_type(upload("clip", MOV)) == "video/quicktime"

    def test_other_iso_media_and_broken_boxes_are_nothing_we_keep(self) -> None:
        assert filetypes.content_type(upload("song.m4a", M4A)) == ""
        assert filetypes.iso_media_type(b"\x00\x00\x00\x18ftypqt  " + b"\x00" * 40) == ""  # nothing after ftyp
        assert filetypes.iso_media_type(b"\xff\xff\xff\xffftypisom" + b"\x00" * 40) == ""  # impossible size
        assert filetypes.iso_media_type(b"\x00\x00\x00\x18ftyp") == ""  # cut short
        generic = b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic\x00\x00\x00\x08meta"
        assert filetypes.iso_media_type(generic) == "image/heic"
        avif = b"\x00\x00\x00\x18ftypavif\x00\x00\x00\x00mif1avif\x00\x00\x00\x08meta"
        assert filetypes.iso_media_type(avif) == ""

    def test_a_name_that_says_another_type_than_the_content(self) -> None:
        assert filetypes.name_contradicts("photo.heic", "image/png")
        assert filetypes.name_contradicts("scan.PDF", "image/jpeg")
        assert not filetypes.name_contradicts("clip.mov", "video/mp4")  # both are videos
        assert not filetypes.name_contradicts("IMG_1234.JPEG", "image/jpeg")
        assert not filetypes.name_contradicts("photo", "image/png") and not filetypes.name_contradicts(".png", "x")


@time_machine.travel(TODAY, tick=False)
class PhotosFromAnIPhoneTests(MediaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def setUp(self) -> None:
        super().setUp()
        answer_until_documents(self.client)

    def test_a_heic_photo_is_kept_as_a_full_size_jpeg_with_when_it_was_taken(self) -> None:
        response = send_files(self.client, upload("IMG_0042.HEIC", heic(64, 48), "image/heic"))
        assert response.status_code == 302
        kept = PendingAttachment.objects.get()
        assert (kept.name, kept.content_type) == ("IMG_0042.jpg", "image/jpeg")
        data = kept.file.read()
        assert data.startswith(b"\xff\xd8\xff") and kept.size == len(data)
        photo = Image.open(io.BytesIO(data))
        assert photo.format == "JPEG" and photo.size == (64, 48)
        assert photo.getexif()[0x0132] == TAKEN
        red, green, blue = photo.convert("RGB").getpixel((32, 24))  # type: ignore[misc]
        assert red > 150 and green < 80 and blue < 80
        assert "IMG_0042.jpg" in self.client.get(PAGE).content.decode()

    def test_the_jpeg_joins_the_complaint_and_staff_download_it(self) -> None:
        send_files(self.client, upload("IMG_0042.heic", heic()))
        submit(self.client, answer_all(self.client))
        complaint = Complaint.objects.get()
        attachment = Attachment.objects.get(complaint=complaint)
        assert (attachment.name, attachment.content_type, attachment.uploaded_by) == (
            "IMG_0042.jpg",
            "image/jpeg",
            None,
        )
        event = Event.objects.get(complaint=complaint, kind="attachment-added")
        assert "IMG_0042.jpg (JPEG image" in event.summary
        response = signed_in(self.cast.officer).get(complaint_url(complaint, f"documents/{attachment.pk}"))
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")

    def test_a_png_renamed_heic_is_refused_by_its_content(self) -> None:
        html = send_files(self.client, upload("photo.heic", png(), "image/heic")).content.decode()
        assert "photo.heic is a PNG image, not what its name says. Rename it photo.png and select it again" in html
        assert PendingAttachment.objects.count() == 0 and self.stored() == set()

    def test_a_broken_heic_is_refused_in_words_the_resident_can_act_on(self) -> None:
        broken = heic()[:200]
        html = send_files(self.client, upload("IMG_1.heic", broken)).content.decode()
        assert "IMG_1.heic could not be opened as a photo. Try saving it as a JPEG and sending that" in html
        assert PendingAttachment.objects.count() == 0

    def test_a_picture_too_large_to_open_safely_is_refused_before_it_is_decoded(self) -> None:
        with mock.patch.object(staging, "HEIC_MAX_PIXELS", 64 * 48 - 1):
            html = send_files(self.client, upload("huge.heic", heic(64, 48))).content.decode()
        assert "huge.heic is too large a picture. Send a smaller photo" in html
        assert PendingAttachment.objects.count() == 0

    def test_a_heic_over_the_photo_limit_is_refused(self) -> None:
        big = heic() + b"\x00" * ATTACHMENT_MAX_BYTES
        checked = staging.check(upload("big.heic", big))
        assert checked == "big.heic must be smaller than 10 MB"


@time_machine.travel(TODAY, tick=False)
class ShortVideosTests(MediaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def setUp(self) -> None:
        super().setUp()
        answer_until_documents(self.client)

    def test_the_page_states_the_video_limit_and_gives_it_to_the_browser_check(self) -> None:
        html = self.client.get(PAGE).content.decode()
        assert "a photo from an iPhone (HEIC), or an MP4 or MOV video" in html
        assert "videos must be smaller than 50&nbsp;MB" in html and "about 30 seconds of video" in html
        assert f'data-max-bytes="{ATTACHMENT_MAX_BYTES}"' in html
        assert f'data-video-max-bytes="{VIDEO_MAX_BYTES}"' in html and 'data-max-files="5"' in html
        assert 'src="/static/portal/files.js"' in html and "image/heic" in html and "video/quicktime" in html

    def test_an_mp4_and_a_mov_are_kept_and_joined_to_the_complaint(self) -> None:
        response = send_files(self.client, upload("leak.mp4", MP4, "video/mp4"), upload("IMG_7.MOV", MOV))
        assert response.status_code == 302
        assert sorted(PendingAttachment.objects.values_list("name", "content_type")) == [
            ("IMG_7.MOV", "video/quicktime"),
            ("leak.mp4", "video/mp4"),
        ]
        submit(self.client, answer_all(self.client))
        complaint = Complaint.objects.get()
        summaries = list(Event.objects.filter(complaint=complaint, kind="attachment-added").values_list("summary"))
        assert any("leak.mp4 (MP4 video, 1 KB)" in summary for (summary,) in summaries)
        assert any("IMG_7.MOV (MOV video, 1 KB)" in summary for (summary,) in summaries)
        assert Attachment.objects.get(name="IMG_7.MOV").file.read() == MOV

    def test_a_video_larger_than_a_photo_may_be_but_within_the_video_limit_is_kept(self) -> None:
        longer = MP4 + b"\x00" * (ATTACHMENT_MAX_BYTES + 1)
        assert send_files(self.client, upload("leak.mp4", longer)).status_code == 302
        assert PendingAttachment.objects.get().size == len(longer)

    def test_an_exe_renamed_mov_is_refused_by_its_content(self) -> None:
        html = send_files(self.client, upload("clip.mov", EXECUTABLE, "video/quicktime")).content.decode()
        assert (
            "clip.mov must be a JPEG, PNG, PDF or Word document, a photo from an iPhone (HEIC), or an MP4 or MOV video"
        ) in html
        assert PendingAttachment.objects.count() == 0 and self.stored() == set()

    def test_audio_in_an_mp4_box_is_refused(self) -> None:
        html = send_files(self.client, upload("voice.m4a", M4A)).content.decode()
        assert "voice.m4a must be a JPEG, PNG, PDF or Word document" in html

    def test_a_video_over_its_limit_and_a_file_over_every_limit_are_refused(self) -> None:
        assert staging.check(upload("long.mp4", MP4 + b"\x00" * VIDEO_MAX_BYTES)) == (
            "long.mp4 must be smaller than 50 MB"
        )
        assert resident_file_problem("film.mkv", VIDEO_MAX_BYTES + 1, "") == (
            "film.mkv must be smaller than 10 MB, or 50 MB for a video"
        )
        assert resident_file_problem("big.png", ATTACHMENT_MAX_BYTES + 1, "image/png") == (
            "big.png must be smaller than 10 MB"
        )


@time_machine.travel(TODAY, tick=False)
class FilesWhenAddingInformationTests(MediaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_a_resident_following_their_complaint_adds_a_heic_photo_and_a_video(self) -> None:
        complaint = make_complaint(self.client)
        follow(self.client, complaint.reference)
        url = f"{BASE}/your-complaint/add-information/"
        assert "or an MP4 or MOV video" in self.client.get(url).content.decode()
        response = self.client.post(
            url, {"information": "", "documents": [upload("IMG_9.HEIC", heic()), upload("drip.mov", MOV)]}
        )
        assert response.status_code == 302
        assert sorted(Attachment.objects.filter(complaint=complaint).values_list("name", "content_type")) == [
            ("IMG_9.jpg", "image/jpeg"),
            ("drip.mov", "video/quicktime"),
        ]


@time_machine.travel(TODAY, tick=False)
class ResidentAttachFilesActionTests(MediaTestCase):
    """The domain action knows videos, and still refuses a HEIC that skipped the conversion."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_a_video_is_an_attachment_and_an_unconverted_heic_is_refused(self) -> None:
        complaint = log(self.cast, TODAY)
        video = actions.ResidentFile(upload("a.mp4", MP4), "a.mp4", "video/mp4", len(MP4))
        made = actions.resident_attach_files(complaint, [video], on=TODAY)
        assert [(a.name, a.content_type) for a in made] == [("a.mp4", "video/mp4")]
        photo = heic()
        raw = actions.ResidentFile(upload("b.heic", photo), "b.heic", "image/heic", len(photo))
        try:
            actions.resident_attach_files(complaint, [raw], on=TODAY)
        except InvalidInput as refusal:
            assert refusal.errors["documents"].startswith("b.heic must be a JPEG, PNG, PDF or Word document")
        else:
            raise AssertionError("an unconverted HEIC was kept")
        assert Attachment.objects.filter(complaint=complaint).count() == 1
