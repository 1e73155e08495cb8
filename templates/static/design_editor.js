// The visual design editor: the design's page at real proportions with its background; every
// element placed in millimetres and dragged, resized (the corner handle), nudged with the arrow
// keys (Shift: 5 mm) or set in the inspector; texts' font, size, colour, alignment and capitals;
// texts added, elements deleted, undo (Ctrl+Z); the renderer's own preview of the unsaved design;
// saving posts the design JSON, which the server checks as the API does. No framework, no build.
(function () {
  "use strict";
  var root = document.getElementById("editor");
  var stage = document.getElementById("stage");
  if (!root || !stage) return;
  var design = JSON.parse(document.getElementById("design-definition").textContent);
  var pictures = JSON.parse(document.getElementById("design-pictures").textContent);
  var texts = JSON.parse(document.getElementById("editor-texts").textContent);
  var name = root.getAttribute("data-name");
  var csrf = root.getAttribute("data-csrf");
  var page = design.page;
  var history = [];
  var selected = -1;
  var status = document.getElementById("editor-status");
  var inspector = document.getElementById("inspector");
  var field = function (id) { return document.getElementById(id); };
  var MIN_QR = 30;

  stage.style.aspectRatio = page.width + " / " + page.height;
  if (design.background && pictures.indexOf(design.background) >= 0) {
    stage.style.backgroundImage = "url('/app/designs/" + encodeURIComponent(name) + "/pictures/" +
      encodeURIComponent(design.background) + "')";
  }

  function round(mm) { return Math.round(mm * 10) / 10; }
  function mmPerPx() { return page.width / stage.clientWidth; }

  // Every element as a box in millimetres: text, rect and image have one; a QR code is a square;
  // a line is the box around its points.
  function boxOf(el) {
    if (el.type === "qr") return { x: el.x, y: el.y, width: el.size, height: el.size };
    if (el.type === "line") {
      var xs = el.points.map(function (p) { return p[0]; });
      var ys = el.points.map(function (p) { return p[1]; });
      var x = Math.min.apply(null, xs), y = Math.min.apply(null, ys);
      return { x: x, y: y, width: Math.max(0.5, Math.max.apply(null, xs) - x), height: Math.max(0.5, Math.max.apply(null, ys) - y) };
    }
    return el.box;
  }

  function moveTo(el, x, y) {
    if (el.type === "qr") { el.x = round(x); el.y = round(y); return; }
    if (el.type === "line") {
      var box = boxOf(el), dx = x - box.x, dy = y - box.y;
      el.points = el.points.map(function (p) { return [round(p[0] + dx), round(p[1] + dy)]; });
      return;
    }
    el.box.x = round(x); el.box.y = round(y);
  }

  function resize(el, width, height) {
    if (el.type === "qr") { el.size = round(Math.max(width, height)); return; }
    if (el.type === "line") return;
    el.box.width = round(Math.max(1, width)); el.box.height = round(Math.max(1, height));
  }

  function problem(el) {
    if (el.type === "qr" && el.size < MIN_QR) return texts.qr_small;
    var b = boxOf(el);
    if (b.x < 0 || b.y < 0 || b.x + b.width > page.width + 0.01 || b.y + b.height > page.height + 0.01) return texts.off_page;
    return "";
  }

  function snapshot() {
    history.push(JSON.stringify(design));
    if (history.length > 200) history.shift();
  }

  function label(el) {
    if (el.type === "text") return el.text;
    if (el.type === "qr") return "QR";
    if (el.type === "image") return el.asset;
    return "";
  }

  function render() {
    stage.textContent = "";
    var scale = stage.clientWidth / page.width;
    design.elements.forEach(function (el, index) {
      var b = boxOf(el);
      var node = document.createElement("div");
      node.className = "el el-" + el.type + (index === selected ? " selected" : "") + (problem(el) ? " wrong" : "");
      node.setAttribute("data-index", index);
      node.setAttribute("tabindex", "0");
      node.setAttribute("role", "button");
      node.setAttribute("aria-label", el.type + " " + label(el));
      if (el.type === "text") node.setAttribute("data-text", el.text);
      node.style.left = (b.x / page.width * 100) + "%";
      node.style.top = (b.y / page.height * 100) + "%";
      node.style.width = (b.width / page.width * 100) + "%";
      node.style.height = (b.height / page.height * 100) + "%";
      if (el.type === "text") {
        // The text is drawn as part of the picture of the paper, in the paper's own colour and
        // scale (a CSS ::before from data-text), not as page text: the box is a control named by
        // its aria-label, and the inspector shows the text at a readable size and contrast.
        node.style.fontSize = Math.max(6, el.size * 0.3528 * scale) + "px";
        node.style.color = el.colour || "#000000";
        node.style.textAlign = el.align === "centre" ? "center" : (el.align || "left");
        node.style.textTransform = el.uppercase ? "uppercase" : "none";
        node.style.fontFamily = /sans/.test(el.font || "") ? "sans-serif" : "serif";
        node.style.fontWeight = /bold/.test(el.font || "") ? "bold" : "normal";
        node.style.fontStyle = /italic/.test(el.font || "") ? "italic" : "normal";
      } else if (el.type === "rect") {
        if (el.fill) node.style.background = el.fill;
        if (el.stroke) node.style.outline = "1px solid " + el.stroke;
      } else if (el.type === "image" && pictures.indexOf(el.asset) >= 0) {
        node.style.backgroundImage = "url('/app/designs/" + encodeURIComponent(name) + "/pictures/" + encodeURIComponent(el.asset) + "')";
      } else if (el.type !== "line") {
        node.textContent = label(el);
      }
      if (el.type !== "line") {
        var handle = document.createElement("span");
        handle.className = "handle";
        handle.setAttribute("aria-hidden", "true");
        node.appendChild(handle);
      }
      var wrong = problem(el);
      if (wrong) node.title = wrong;
      stage.appendChild(node);
    });
    inspect();
  }

  function inspect() {
    var el = design.elements[selected];
    inspector.disabled = !el;
    field("selected-kind").textContent = el ? el.type + (el.type === "text" ? " · " + el.text : "") : "—";
    inspector.querySelector(".text-only").hidden = !el || el.type !== "text";
    if (!el) { status.textContent = ""; return; }
    var b = boxOf(el);
    field("el-x").value = b.x; field("el-y").value = b.y;
    field("el-w").value = b.width; field("el-h").value = b.height;
    field("el-h").disabled = el.type === "qr" || el.type === "line";
    field("el-w").disabled = el.type === "line";
    if (el.type === "text") {
      field("el-text").value = el.text;
      field("el-font").value = el.font || "serif";
      field("el-size").value = el.size;
      field("el-colour").value = el.colour || "#000000";
      field("el-align").value = el.align || "left";
      field("el-upper").checked = !!el.uppercase;
    }
    status.textContent = problem(el);
  }

  function select(index) {
    selected = index;
    render();
    var node = stage.querySelector('[data-index="' + index + '"]');
    if (node) node.focus({ preventScroll: true });
  }

  // Dragging and resizing with the mouse, a pen or a finger.
  var drag = null;
  stage.addEventListener("pointerdown", function (event) {
    var node = event.target.closest(".el");
    if (!node) { select(-1); return; }
    var index = Number(node.getAttribute("data-index"));
    var el = design.elements[index];
    snapshot();
    var b = boxOf(el);
    drag = { index: index, resize: event.target.classList.contains("handle"), x: event.clientX, y: event.clientY, box: { x: b.x, y: b.y, width: b.width, height: b.height } };
    selected = index;
    stage.setPointerCapture(event.pointerId);
    event.preventDefault();
  });
  stage.addEventListener("pointermove", function (event) {
    if (!drag) return;
    var el = design.elements[drag.index];
    var dx = (event.clientX - drag.x) * mmPerPx(), dy = (event.clientY - drag.y) * mmPerPx();
    if (drag.resize) {
      resize(el, drag.box.width + dx, drag.box.height + dy);
    } else {
      var x = Math.min(Math.max(0, drag.box.x + dx), page.width - drag.box.width);
      var y = Math.min(Math.max(0, drag.box.y + dy), page.height - drag.box.height);
      moveTo(el, x, y);
    }
    render();
  });
  function drop() {
    if (!drag) return;
    var index = drag.index;
    drag = null;
    select(index);
  }
  stage.addEventListener("pointerup", drop);
  stage.addEventListener("pointercancel", drop);

  // The keyboard: arrows move by 1 mm (Shift: 5 mm), Delete removes, Ctrl+Z undoes.
  root.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "z") { undo(); event.preventDefault(); return; }
    var node = event.target.closest && event.target.closest(".el");
    if (!node) return;
    var index = Number(node.getAttribute("data-index"));
    var el = design.elements[index];
    var step = event.shiftKey ? 5 : 1;
    var moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (moves[event.key]) {
      snapshot();
      var b = boxOf(el);
      moveTo(el, b.x + moves[event.key][0], b.y + moves[event.key][1]);
      select(index);
      event.preventDefault();
    } else if (event.key === "Delete") {
      remove(index);
      event.preventDefault();
    } else if (event.key === "Enter" || event.key === " ") {
      select(index);
      event.preventDefault();
    }
  });
  stage.addEventListener("focusin", function (event) {
    var node = event.target.closest(".el");
    if (node && Number(node.getAttribute("data-index")) !== selected) {
      selected = Number(node.getAttribute("data-index"));
      node.classList.add("selected");
      inspect();
    }
  });

  // The inspector: exact millimetres and the text's look.
  function fromInspector() {
    var el = design.elements[selected];
    if (!el) return;
    snapshot();
    var number = function (id, fallback) { var v = parseFloat(field(id).value); return isNaN(v) ? fallback : v; };
    var b = boxOf(el);
    moveTo(el, number("el-x", b.x), number("el-y", b.y));
    // A QR code is square: its width is its size.
    if (el.type === "qr") el.size = round(number("el-w", b.width));
    else resize(el, number("el-w", b.width), number("el-h", b.height));
    if (el.type === "text") {
      el.text = field("el-text").value;
      el.font = field("el-font").value;
      el.size = number("el-size", el.size);
      el.colour = field("el-colour").value.toUpperCase();
      el.align = field("el-align").value;
      el.uppercase = field("el-upper").checked;
    }
    render();
  }
  ["el-x", "el-y", "el-w", "el-h", "el-text", "el-font", "el-size", "el-colour", "el-align", "el-upper"].forEach(function (id) {
    field(id).addEventListener("change", fromInspector);
  });

  function remove(index) {
    if (index < 0) return;
    snapshot();
    design.elements.splice(index, 1);
    selected = -1;
    render();
  }

  function undo() {
    if (!history.length) return;
    design = JSON.parse(history.pop());
    page = design.page;
    if (selected >= design.elements.length) selected = -1;
    render();
  }

  field("add-text").addEventListener("click", function () {
    snapshot();
    design.elements.push({
      type: "text", text: texts.new_text, font: "serif", size: 14, colour: "#000000", align: "centre",
      box: { x: round(page.width / 2 - 40), y: round(page.height / 2 - 5), width: 80, height: 10 }
    });
    select(design.elements.length - 1);
  });
  field("delete-element").addEventListener("click", function () { remove(selected); });
  field("undo").addEventListener("click", undo);

  // The renderer's own picture of the design as it stands, unsaved.
  var preview = document.getElementById("editor-preview");
  field("preview-button").addEventListener("click", function () {
    status.textContent = texts.previewing;
    var body = new URLSearchParams({ csrf: csrf, definition: JSON.stringify(design) });
    fetch("/app/designs/" + encodeURIComponent(name) + "/draft-preview", { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) return response.text().then(function (text) { throw new Error(text.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").slice(0, 300)); });
        return response.blob();
      })
      .then(function (blob) {
        // As a data: address, which the pages' content security policy allows for pictures.
        var reader = new FileReader();
        reader.onload = function () {
          preview.onload = function () { preview.setAttribute("data-updated", String(Date.now())); };
          preview.src = reader.result;
          preview.hidden = false;
          status.textContent = "";
        };
        reader.readAsDataURL(blob);
      })
      .catch(function (error) { status.textContent = texts.preview_failed + " " + error.message; });
  });

  document.getElementById("editor-save").addEventListener("submit", function () {
    document.getElementById("definition-field").value = JSON.stringify(design);
  });
  window.addEventListener("resize", render);
  render();
})();
