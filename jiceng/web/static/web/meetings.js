/* Meeting pages (web/meetings/*.html). Everything works without this script; it only tidies the forms:
 *
 * - the new-meeting form shows the fields of the chosen kind (hearing subject, invitees, theme …);
 * - a person ticked in the search results moves to the list above it, so the next search keeps them;
 * - Enter in a people search does not submit the surrounding form;
 * - a vote form shows the counts or the named votes, as the method asks;
 * - an agenda item's cadre fields show only for a cadre item;
 * - "全部到会" / "清除" tick or clear every present box (and refresh the quorum line).
 *
 * Listeners sit on the document, so panels htmx swaps in need no setup. */
(function () {
  "use strict";

  function showFor(form) {
    const kind = form.querySelector("select[name=kind]");
    if (!kind) {
      return;
    }
    form.querySelectorAll("[data-show-for]").forEach(function (el) {
      const kinds = el.getAttribute("data-show-for").split(" ");
      el.hidden = kinds.indexOf(kind.value) === -1;
    });
  }

  function voteMode(select) {
    const form = select.closest("form");
    const named = select.value === "named";
    form.querySelectorAll("[data-counts]").forEach(function (el) { el.hidden = named; });
    form.querySelectorAll("[data-named]").forEach(function (el) { el.hidden = !named; });
  }

  function cadreFields(select) {
    const form = select.closest("form");
    form.querySelectorAll("[data-cadre-only]").forEach(function (el) { el.hidden = select.value !== "cadre"; });
  }

  function setUp(root) {
    root.querySelectorAll("#meeting-form").forEach(showFor);
    root.querySelectorAll("[data-vote-method]").forEach(voteMode);
    root.querySelectorAll("[data-item-kind]").forEach(cadreFields);
  }

  document.addEventListener("change", function (event) {
    const target = event.target;
    if (target.matches("#meeting-form select[name=kind]")) {
      showFor(target.form);
    } else if (target.matches("[data-vote-method]")) {
      voteMode(target);
    } else if (target.matches("[data-item-kind]")) {
      cadreFields(target);
    } else if (target.matches("input[data-pick][type=checkbox]") && target.checked) {
      const box = target.closest(".pick");
      const chosen = box && box.querySelector(".pick-selected");
      if (chosen) {
        target.removeAttribute("data-pick");
        chosen.appendChild(target.closest("li"));
      }
    } else if (target.matches(".checkin input[name=present]")) {
      target.closest("li").classList.toggle("is-present", target.checked);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches(".people-search input[type=search]")) {
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-check-all], [data-check-none]");
    if (!button) {
      return;
    }
    const on = button.hasAttribute("data-check-all");
    const name = button.getAttribute(on ? "data-check-all" : "data-check-none");
    const form = button.closest("form");
    form.querySelectorAll("input[type=checkbox][name=" + name + "]").forEach(function (box) {
      box.checked = on;
      box.closest("li").classList.toggle("is-present", on);
    });
    const first = form.querySelector("input[type=checkbox][name=" + name + "]");
    if (first) {
      first.dispatchEvent(new Event("change", {bubbles: true}));
    }
  });

  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  document.addEventListener("htmx:afterSettle", function () { setUp(document); });
}());
