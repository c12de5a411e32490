// The board's page: its API is on the page's own origin (/api/), so the browser sends no CORS preflight
// and needs no Access-Control-* headers from the API.
const list = document.getElementById("messages");
const status = document.getElementById("status");
const form = document.getElementById("post");

function show(message, isError) {
  status.textContent = message;
  status.className = isError ? "error" : "";
}

async function load() {
  const answer = await fetch("/api/messages", { headers: { Accept: "application/json" } });
  if (!answer.ok) {
    show(`the board did not load (${answer.status})`, true);
    return;
  }
  const { messages } = await answer.json();
  list.replaceChildren(
    ...messages.map((message) => {
      const item = document.createElement("li");
      const author = document.createElement("span");
      author.className = "author";
      author.textContent = message.author;
      item.append(author, document.createTextNode(message.text));
      return item;
    }),
  );
  show(`${messages.length} message${messages.length === 1 ? "" : "s"}`, false);
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const answer = await fetch("/api/messages", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ author: data.get("author"), text: data.get("text") }),
  });
  if (answer.status !== 201) {
    const { message } = await answer.json().catch(() => ({ message: answer.statusText }));
    show(`not posted: ${message}`, true);
    return;
  }
  form.reset();
  await load();
});

load().catch((error) => show(`the board did not load: ${error}`, true));
