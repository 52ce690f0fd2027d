// The desk's keys: each is also a button. Keys typed into a field are text, not commands.

export function bindKeys(actions) {
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    const target = event.target;
    const typing = target.closest && target.closest("input, textarea, select");
    if (event.key === "Escape") { actions.Escape && actions.Escape(); return; }
    if (typing) { return; }
    const act = actions[event.key];
    if (!act) { return; }
    if (act() !== false) { event.preventDefault(); }
  });
}
