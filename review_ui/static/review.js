/* ledgerdesk review pages: highlight the box of a field, keyboard shortcuts (review queue, document, reconciliation).
   No dependencies and no build step; every form also works without this file. */
(function () {
  "use strict";

  function isTyping(target) {
    return target instanceof HTMLElement &&
      (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
  }

  function hasModifier(event) {
    return event.altKey || event.ctrlKey || event.metaKey;
  }

  /* ---- document page: field <-> box on the page image ---- */

  /* a voucher line names the field its amount was read from in data-source */
  function fieldOf(element) {
    const holder = element instanceof Element ? element.closest("[data-field], [data-source]") : null;
    return holder ? holder.dataset.field || holder.dataset.source : null;
  }

  function byField(name) {
    const quoted = '"' + CSS.escape(name) + '"';
    return document.querySelectorAll("[data-field=" + quoted + "], [data-source=" + quoted + "]");
  }

  function highlight(name, scroll) {
    document.querySelectorAll("[data-field].active").forEach(function (el) { el.classList.remove("active"); });
    if (!name) return;
    byField(name).forEach(function (el) { el.classList.add("active"); });
    const box = document.querySelector('.box[data-field="' + CSS.escape(name) + '"]');
    if (box && scroll) box.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  function focusField(name) {
    const input = document.getElementById("field-" + name);
    if (input) input.focus();
  }

  function initHighlighting(root) {
    root.addEventListener("focusin", function (event) { highlight(fieldOf(event.target), true); });
    root.addEventListener("mouseover", function (event) {
      const name = fieldOf(event.target);
      if (name) highlight(name, !event.target.classList.contains("box"));
    });
    root.addEventListener("mouseout", function (event) {
      if (!fieldOf(event.relatedTarget)) highlight(fieldOf(document.activeElement), false);
    });
    root.addEventListener("click", function (event) {
      const box = event.target instanceof Element ? event.target.closest(".box") : null;
      if (box) focusField(box.dataset.field);
    });
  }

  /* ---- document page: Ctrl+Enter approves, and a form is sent only once ---- */

  function initReviewForm(form) {
    const approve = form.querySelector('button[name="decision"][value="approve"]');
    form.addEventListener("submit", function (event) {
      if (form.dataset.sending) event.preventDefault();
      form.dataset.sending = "1";
    });
    window.addEventListener("pageshow", function () { delete form.dataset.sending; });
    if (!approve) return;
    document.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !form.dataset.sending) {
        event.preventDefault();
        form.requestSubmit(approve);
      }
    });
  }

  /* ---- queue: j / k move the selection, Enter opens it ---- */

  function initQueue(table) {
    const rows = Array.from(table.querySelectorAll("tbody tr[data-href]"));
    if (!rows.length) return;
    let current = 0;

    function select(index, focus) {
      current = Math.max(0, Math.min(rows.length - 1, index));
      rows.forEach(function (row, i) { row.setAttribute("aria-selected", String(i === current)); });
      if (focus) rows[current].focus();
    }

    function onKey(event) {
      if (isTyping(event.target) || hasModifier(event)) return;
      if (event.key === "j") select(current + 1, true);
      else if (event.key === "k") select(current - 1, true);
      else if (event.key === "Enter" && !(event.target instanceof HTMLAnchorElement)) {
        window.location.assign(rows[current].dataset.href);
      } else return;
      event.preventDefault();
    }

    rows.forEach(function (row, i) {
      row.addEventListener("click", function (event) {
        if (!(event.target instanceof HTMLAnchorElement)) window.location.assign(row.dataset.href);
      });
      row.addEventListener("focus", function () { select(i, false); });
    });
    select(0, false);
    document.addEventListener("keydown", onKey);
  }

  /* ---- reconciliation: j / k move, c confirms, r rejects (or undoes), ? shows the keys ---- */

  function initReconciliation(root) {
    const rows = Array.from(root.querySelectorAll("tr[data-match]"));
    const help = document.getElementById("keys-help");
    let current = 0;

    function select(index, focus) {
      if (!rows.length) return;
      current = Math.max(0, Math.min(rows.length - 1, index));
      rows.forEach(function (row, i) { row.setAttribute("aria-selected", String(i === current)); });
      if (focus) rows[current].focus();
    }

    function press(key) {
      const button = rows.length ? rows[current].querySelector('button[data-key="' + key + '"]') : null;
      if (button && !root.dataset.sending) {
        root.dataset.sending = "1";
        button.form.requestSubmit(button);
      }
    }

    function onKey(event) {
      if (isTyping(event.target) || hasModifier(event)) return;
      if (event.key === "?") help.hidden = !help.hidden;
      else if (event.key === "Escape" && !help.hidden) help.hidden = true;
      else if (event.key === "j") select(current + 1, true);
      else if (event.key === "k") select(current - 1, true);
      else if (event.key === "c" || event.key === "r") press(event.key);
      else return;
      event.preventDefault();
    }

    rows.forEach(function (row, i) {
      row.addEventListener("focus", function () { select(i, false); });
    });
    select(0, false);
    window.addEventListener("pageshow", function () { delete root.dataset.sending; });
    document.addEventListener("keydown", onKey);
  }

  document.addEventListener("DOMContentLoaded", function () {
    const review = document.querySelector(".review");
    const form = document.getElementById("review-form");
    const queue = document.getElementById("queue");
    const reconciliation = document.getElementById("reconciliation");
    if (review) initHighlighting(review);
    if (form) initReviewForm(form);
    if (queue) initQueue(queue);
    if (reconciliation) initReconciliation(reconciliation);
  });
})();
