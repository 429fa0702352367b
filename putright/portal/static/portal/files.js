// Photos, documents and videos: the size and number of the files chosen are checked here, before they
// are sent, so that a file too large is not uploaded in full only to be refused. The limits come from
// the input's data attributes, which the page also states in words. The server checks every file
// again; in a browser without this script, its check is the only one.

const NAMES = /\.(mp4|mov)$/i;

function isVideo(file) {
  return file.type.startsWith("video/") || NAMES.test(file.name);
}

function problems(input) {
  const data = input.dataset;
  const files = Array.from(input.files || []);
  const found = [];
  if (files.length > Number(data.maxFiles)) {
    found.push(`Select up to ${data.maxFiles} file${data.maxFiles === "1" ? "" : "s"} at a time`);
  }
  for (const file of files) {
    if (isVideo(file) && file.size > Number(data.videoMaxBytes)) {
      found.push(`${file.name} must be smaller than ${data.videoMaxMegabytes} MB`);
    } else if (!isVideo(file) && file.size > Number(data.maxBytes)) {
      found.push(`${file.name} must be smaller than ${data.maxMegabytes} MB`);
    }
  }
  return found;
}

function show(input, messages) {
  const group = input.closest(".govuk-form-group");
  group.querySelectorAll(".putright-js-error").forEach((element) => element.remove());
  const described = (input.getAttribute("aria-describedby") || "")
    .split(" ")
    .filter((id) => id && !id.startsWith("id_documents_js_error"));
  messages.forEach((message, index) => {
    const error = document.createElement("p");
    error.className = "govuk-error-message putright-js-error";
    error.id = `id_documents_js_error_${index + 1}`;
    const hidden = document.createElement("span");
    hidden.className = "govuk-visually-hidden";
    hidden.textContent = "Error:";
    error.append(hidden, ` ${message}`);
    input.before(error);
    described.push(error.id);
  });
  input.setAttribute("aria-describedby", described.join(" "));
  const serverErrors = group.querySelectorAll(".govuk-error-message:not(.putright-js-error)").length > 0;
  group.classList.toggle("govuk-form-group--error", messages.length > 0 || serverErrors);
  input.classList.toggle("govuk-file-upload--error", messages.length > 0 || serverErrors);
}

for (const input of document.querySelectorAll("input[type=file][data-max-bytes]")) {
  input.addEventListener("change", () => {
    const found = problems(input);
    show(input, found);
    // Nothing too large stays chosen, so nothing too large is sent by either button.
    if (found.length) {
      input.value = "";
    }
  });
  input.form.addEventListener("submit", (event) => {
    const found = problems(input);
    if (found.length) {
      event.preventDefault();
      show(input, found);
      input.value = "";
      input.focus();
    }
  });
}
