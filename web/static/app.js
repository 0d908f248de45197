// A little behaviour, none of it needed to use the page: the entity marks can be switched
// off for plain reading (remembered), and the sort menu applies itself.
(function () {
  "use strict";
  var box = document.getElementById("show-ents");
  var text = document.getElementById("doc-text");
  if (box && text) {
    var apply = function () { text.classList.toggle("plain-text", !box.checked); };
    try { box.checked = localStorage.getItem("congvan.ents") !== "off"; } catch (e) { /* storage off */ }
    apply();
    box.addEventListener("change", function () {
      apply();
      try { localStorage.setItem("congvan.ents", box.checked ? "on" : "off"); } catch (e) { /* storage off */ }
    });
  }
  document.querySelectorAll("select.autosubmit").forEach(function (sel) {
    sel.addEventListener("change", function () { if (sel.form.q.value.trim()) { sel.form.submit(); } });
  });
  // the browser's own file-picker words may not be Vietnamese: show ours
  var picker = document.getElementById("tep");
  var chosen = document.getElementById("tep-chosen");
  if (picker && chosen) {
    picker.addEventListener("change", function () {
      var names = Array.prototype.map.call(picker.files, function (f) { return f.name; });
      chosen.textContent = names.length ? "Đã chọn " + names.length + " tệp: " + names.join(", ") : "Chưa chọn tệp nào";
    });
  }
})();
