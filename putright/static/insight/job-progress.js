// While a report is built in the background, check its page every few seconds and show the progress in
// place: the status line is a live region, so a screen reader hears each step, and nothing reloads under
// the reader (a self-refreshing page is a time limit nobody can turn off, WCAG 2.2.1). When the report is
// ready, failed or expired, the rest of the page is brought in and checking stops. Without script, the
// page's "Check again now" link does the same.
const job = document.querySelector("[data-job-progress]");

async function check() {
  let next;
  try {
    const response = await fetch(window.location.href, { credentials: "same-origin", cache: "no-store" });
    if (!response.ok) {
      return schedule();
    }
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    next = page.querySelector("#job");
  } catch {
    return schedule();
  }
  if (!next) {
    return undefined;
  }
  const status = job.querySelector("#job-progress");
  const fresh = next.querySelector("#job-progress");
  if (status && fresh && status.textContent !== fresh.textContent) {
    status.textContent = fresh.textContent;
  }
  const tag = job.querySelector(".govuk-task-list__status");
  const freshTag = next.querySelector(".govuk-task-list__status");
  if (tag && freshTag) {
    tag.replaceChildren(...Array.from(freshTag.childNodes, (node) => document.importNode(node, true)));
  }
  if (next.hasAttribute("data-job-progress")) {
    return schedule();
  }
  // Finished: the status line has said so (announced); the rest of the page follows.
  for (const part of job.querySelectorAll("[data-job-part]")) {
    part.remove();
  }
  for (const part of next.querySelectorAll("[data-job-part]")) {
    job.append(document.importNode(part, true));
  }
  job.removeAttribute("data-job-progress");
  return undefined;
}

function schedule() {
  window.setTimeout(check, Number(job.dataset.jobProgress) * 1000 || 3000);
}

if (job) {
  schedule();
}
