// Nansen's few behaviours, without inline script (the Content-Security-Policy forbids it).
(function () {
  "use strict";

  // The language switch submits itself when a language is chosen.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-autosubmit]")) {
      target.form.submit();
    }
  });

  // "Remove this member" on the registration page.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-remove]");
    if (!button) return;
    var block = document.querySelector(button.getAttribute("data-remove"));
    if (block) block.remove();
  });

  // Each new family-member block gets its own index, so its fields have their own names.
  document.addEventListener("htmx:configRequest", function (event) {
    var source = event.detail.elt;
    if (source && source.id === "add-member") {
      var index = parseInt(source.getAttribute("data-next-index"), 10) || 1;
      event.detail.parameters.index = index;
      source.setAttribute("data-next-index", String(index + 1));
    }
  });

  // Move focus to a newly added member block so keyboard users land in it.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "members") {
      var blocks = event.detail.target.querySelectorAll(".member-block");
      var last = blocks[blocks.length - 1];
      var field = last && last.querySelector("select, input:not([type=hidden])");
      if (field) field.focus();
    }
  });
})();
