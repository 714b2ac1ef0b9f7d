// Picking files uploads them; the merge page reloads itself while the merge runs.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input[data-autosubmit]").forEach(function (input) {
    input.addEventListener("change", function () {
      if (input.files.length) { input.form.submit(); }
    });
  });
  var reload = document.querySelector("[data-reload]");
  if (reload) { setTimeout(function () { location.reload(); }, Number(reload.dataset.reload)); }
});
