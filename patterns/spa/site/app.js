// The example app: client-side routes (the edge answers every deep link with this page) and the items
// of the backend named in /config.json, which Terraform writes next to the site.
"use strict";

async function main() {
  const route = document.getElementById("route");
  const status = document.getElementById("status");
  route.textContent = `route ${window.location.pathname}`;
  const config = await (await fetch("/config.json", { cache: "no-store" })).json();
  if (!config.apiUrl) {
    status.textContent = "no backend configured";
    return;
  }
  const answer = await fetch(`${config.apiUrl.replace(/\/$/, "")}/items`);
  if (!answer.ok) {
    status.textContent = `the backend answered ${answer.status}`;
    return;
  }
  const list = document.getElementById("items");
  for (const item of (await answer.json()).items || []) {
    const entry = document.createElement("li");
    entry.textContent = item.name;
    list.appendChild(entry);
  }
  status.textContent = "ready";
}

main().catch((error) => {
  document.getElementById("status").textContent = `failed: ${error.message}`;
});
