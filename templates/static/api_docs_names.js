// Names the form fields RapiDoc draws without a label (the request body's example, the example and
// media type choosers), so that a screen reader can say what each is. RapiDoc draws into nested
// shadow roots, and draws them later than the page loads: every root is looked at when it appears.
const seen = new WeakSet();

function nameOf(field) {
  if (field.tagName === "TEXTAREA") return "Request body example";
  if (field.tagName === "SELECT") {
    const media = [...field.options].some((o) => o.value.includes("/"));
    return media ? "Media type" : "Example";
  }
  return field.dataset.pname ? `Parameter ${field.dataset.pname}` : field.placeholder || "Value";
}

function name(root) {
  for (const field of root.querySelectorAll("input, select, textarea")) {
    const labelled = field.getAttribute("aria-label") || field.getAttribute("aria-labelledby") ||
      (field.labels && field.labels.length > 0);
    if (!labelled) field.setAttribute("aria-label", nameOf(field));
  }
  for (const element of root.querySelectorAll("*")) {
    if (element.shadowRoot) watch(element.shadowRoot);
  }
}

function watch(root) {
  if (seen.has(root)) return;
  seen.add(root);
  name(root);
  new MutationObserver(() => name(root)).observe(root, { childList: true, subtree: true });
}

customElements.whenDefined("rapi-doc").then(() => watch(document.getElementById("api").shadowRoot));
