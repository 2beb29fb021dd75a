// mincorr's JavaScript only enhances pages that work without it:
// drag-and-drop on the upload form, and a progress bar that follows an upload without reloading.

function enhanceUpload() {
  const group = document.getElementById("letters-group");
  const input = document.getElementById("letters");
  if (!group || !input || typeof DataTransfer === "undefined") return;
  group.classList.add("mincorr-dropzone");
  const over = (on) => (event) => {
    event.preventDefault();
    group.classList.toggle("mincorr-dropzone--over", on);
  };
  group.addEventListener("dragover", over(true));
  group.addEventListener("dragleave", over(false));
  group.addEventListener("drop", (event) => {
    over(false)(event);
    const files = new DataTransfer();
    for (const file of input.files) files.items.add(file);
    for (const file of event.dataTransfer.files) files.items.add(file);
    input.files = files.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
}

function followBatch() {
  const box = document.getElementById("batch-progress");
  if (!box || box.dataset.status === "done") return;
  // Stop the no-JavaScript refresh; poll the JSON instead and reload once to show the results.
  document.querySelectorAll('meta[http-equiv="refresh"]').forEach((meta) => meta.remove());
  const tick = async () => {
    const response = await fetch(box.dataset.batchUrl, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const batch = await response.json();
    document.getElementById("batch-bar").value = batch.done;
    document.getElementById("batch-count").textContent = `${batch.done} of ${batch.total}`;
    if (batch.status === "done") window.location.reload();
    else setTimeout(tick, 1000);
  };
  setTimeout(tick, 500);
}

enhanceUpload();
followBatch();
