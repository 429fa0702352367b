// The response page's checklist of what the Code requires (6.9, 6.19), kept up to date as the
// handler writes. The server checks the same rules when the response is issued; without
// JavaScript the checklist is updated each time the page is submitted.
const form = document.getElementById("response-form");
const list = document.querySelector(".putright-checklist__list");

function mark(key, missing) {
  const item = list && list.querySelector(`[data-element="${key}"]`);
  if (!item) return;
  const tag = item.querySelector(".govuk-tag");
  tag.textContent = missing.length ? "Missing" : "Done";
  tag.classList.toggle("govuk-tag--red", missing.length > 0);
  tag.classList.toggle("govuk-tag--green", missing.length === 0);
  item.querySelector(".putright-checklist__details").textContent = missing.join("; ");
}

function filled(element) {
  return element && element.value.trim() !== "";
}

function update() {
  const points = [...form.querySelectorAll("[data-point]")];
  const undecided = [];
  const unreasoned = [];
  let upheld = false;
  for (const point of points) {
    const number = point.dataset.point;
    const chosen = point.querySelector(`input[name="decision_${number}"]:checked`);
    if (!chosen) undecided.push(`point ${number} has no decision`);
    else if (chosen.value !== "not-upheld") upheld = true;
    if (!filled(point.querySelector(`textarea[name="reasons_${number}"]`))) unreasoned.push(`point ${number} has no reasons`);
  }
  mark("decision", undecided);
  mark("reasons", unreasoned);
  const existing = Number(form.querySelector("[data-existing-remedies]")?.dataset.existingRemedies || 0);
  const written = [...form.querySelectorAll("[data-remedy] textarea")].some(filled);
  mark("remedy", upheld && !existing && !written ? ["a point is upheld, so the response must offer a remedy"] : []);
  const unnamed = [...form.querySelectorAll("[data-action-row]")].filter((row) => {
    const [description, ...rest] = row.querySelectorAll("textarea, select, input");
    return !filled(description) && rest.some(filled);
  });
  mark("outstanding_actions", unnamed.length ? ["an outstanding action has no description"] : []);
}

if (form && list) {
  form.addEventListener("input", update);
  form.addEventListener("change", update);
}
