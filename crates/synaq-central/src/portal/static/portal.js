// The ИИН is checked while it is typed (the same rule as the server's, which decides):
// 12 digits, a real birth date, a century digit 1-6, and the control digit.
"use strict";
(function () {
  function valid(s) {
    if (!/^\d{12}$/.test(s)) return false;
    var d = s.split("").map(Number);
    var c = d[6];
    if (c < 1 || c > 6) return false;
    var year = [1800, 1800, 1900, 1900, 2000, 2000][c - 1] + d[0] * 10 + d[1];
    var month = d[2] * 10 + d[3], day = d[4] * 10 + d[5];
    var date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return false;
    function sum(w) { var t = 0; for (var i = 0; i < 11; i++) t += d[i] * w[i]; return t % 11; }
    var k = sum([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    if (k === 10) k = sum([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
    return k !== 10 && k === d[11];
  }
  document.querySelectorAll("input[data-iin]").forEach(function (input) {
    var hint = document.getElementById(input.getAttribute("aria-describedby"));
    function check() {
      var v = input.value.trim();
      if (v.length < 12) { input.removeAttribute("aria-invalid"); hint.textContent = ""; hint.className = "hint"; return; }
      var ok = valid(v);
      input.setAttribute("aria-invalid", ok ? "false" : "true");
      hint.textContent = ok ? input.dataset.ok : input.dataset.bad;
      hint.className = ok ? "hint ok" : "hint bad";
    }
    input.addEventListener("input", check);
    check();
  });
})();
