// Copy buttons: <button data-copy="#element-id">. Without JavaScript the text stays selectable.
document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-copy]");
    if (!button) return;
    const source = document.querySelector(button.dataset.copy);
    if (!source) return;
    try {
        await navigator.clipboard.writeText(source.textContent.trim());
        button.textContent = button.dataset.copied || "Copied";
    } catch {
        window.getSelection().selectAllChildren(source);
    }
});
