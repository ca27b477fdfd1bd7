// The inbox page: new items arrive over Server-Sent Events and are added on top, without a reload.
(() => {
  const live = document.querySelector("[data-inbox-stream]");
  const body = document.getElementById("inbox-items");
  if (!live || !body || !window.EventSource) return;

  const unreadLabel = document.querySelector("[data-testid='inbox-unread']");
  let unread = Number((unreadLabel?.textContent || "0").replace(/\D+/g, "")) || 0;

  function setUnread(count) {
    unread = count;
    if (unreadLabel) unreadLabel.textContent = unreadLabel.textContent.replace(/\d+/, String(count));
    document.querySelectorAll("[data-testid='inbox-badge']").forEach((badge) => {
      badge.textContent = String(count);
      badge.dataset.unread = String(count);
      badge.classList.toggle("badge-unread", count > 0);
    });
  }

  function cell(row, text) {
    const td = document.createElement("td");
    td.textContent = text;
    row.appendChild(td);
    return td;
  }

  // The same form the page renders for items it already had: a live item can be marked read too.
  function markReadForm(td, itemId) {
    if (!Number.isInteger(itemId) || !body.dataset.csrfToken) return;
    const form = document.createElement("form");
    form.method = "post";
    form.action = "/inbox/read";
    form.className = "inline";
    for (const [name, value] of [["csrf_token", body.dataset.csrfToken], ["item_id", String(itemId)]]) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      form.appendChild(input);
    }
    const button = document.createElement("button");
    button.type = "submit";
    button.className = "secondary outline small";
    button.textContent = body.dataset.markReadLabel || "Mark read";
    form.appendChild(button);
    td.appendChild(form);
  }

  function addItem(item) {
    if (body.querySelector(`tr[data-seq='${Number(item.seq)}']`)) return;
    body.querySelector("tr.empty")?.remove();
    const row = document.createElement("tr");
    row.className = "unread arrived";
    row.dataset.seq = String(item.seq);
    const what = cell(row, "");
    // Only same-site paths become links: the text always goes in as text, never as markup.
    if (typeof item.url === "string" && item.url.startsWith("/") && !item.url.startsWith("//")) {
      const link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.title;
      what.appendChild(link);
    } else {
      what.textContent = item.title;
    }
    cell(row, item.kind);
    const severity = document.createElement("span");
    severity.className = `severity severity-${String(item.severity).replace(/[^a-z]/g, "")}`;
    severity.textContent = item.severity;
    cell(row, "").appendChild(severity);
    cell(row, String(item.created_at).slice(0, 16).replace("T", " "));
    markReadForm(cell(row, ""), item.id);
    body.insertBefore(row, body.firstChild);
    setUnread(unread + 1);
  }

  const source = new EventSource(live.dataset.inboxStream);
  source.addEventListener("inbox", (event) => {
    try {
      addItem(JSON.parse(event.data));
    } catch (error) {
      console.error("inbox event not understood", error);
    }
  });
  source.addEventListener("open", () => live.classList.add("connected"));
})();
