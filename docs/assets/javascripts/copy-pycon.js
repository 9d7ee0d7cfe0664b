// Copy buttons of Python session examples (```pycon) copy only what you type:
// the ">>> " and "... " prompts and the printed output are left out, so the copied
// text runs when pasted into a plain `python` session (or a file).
//
// Material's copy button (clipboard.js) copies a button's data-clipboard-text when it
// has one; this listener sets it just before clipboard.js reads it (capture phase).
(function () {
  "use strict";

  function typedText(code) {
    const lines = code.innerText.replace(/\n$/, "").split("\n");
    const out = [];
    let inBlock = false;
    for (const line of lines) {
      if (line.startsWith(">>> ") || line === ">>>") {
        // a compound statement needs a blank line before the next statement
        if (inBlock) out.push("");
        inBlock = false;
        out.push(line.slice(4));
      } else if (line.startsWith("... ") || line === "...") {
        inBlock = true;
        out.push(line.slice(4));
      }
      // anything else is output: left out
    }
    if (inBlock) out.push("");
    return out.join("\n").replace(/\n{3,}/g, "\n\n") + "\n";
  }

  document.addEventListener(
    "click",
    function (event) {
      // Material 9.6+ names the button md-code__button; older versions md-clipboard.
      const button =
        event.target.closest &&
        event.target.closest('.md-code__button[data-md-type="copy"], .md-clipboard');
      if (!button) return;
      const block = button.closest(".highlight");
      const code = block && block.querySelector("code");
      // Only session examples: Pygments marks their prompts as Generic.Prompt (.gp).
      if (!code || !code.querySelector(".gp")) return;
      button.setAttribute("data-clipboard-text", typedText(code));
    },
    true,
  );
})();
