/* Roster import (web/roster_import.html).
 *
 * On submit: 1. post the area and the file's name (not the file) to record the job; the answer is the job's
 * section, whose progress bar htmx polls every 700 ms until the job is done or failed. 2. post the file to
 * the job's run URL; the answer, which may take a while for a large roster, is the outcome: the number of
 * people created, or the errors by row and column. Without this script the form posts the file itself. */
(function () {
  "use strict";

  const form = document.getElementById("roster-form");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  const slot = document.getElementById("roster-job-slot");
  const button = form.querySelector("button[type=submit]");

  function post(url, data) {
    // No timeout: the run request lasts as long as the import does.
    return fetch(url, {method: "POST", body: data, credentials: "same-origin", headers: {"HX-Request": "true"}});
  }

  function show(target, html) {
    target.innerHTML = html;
    if (window.htmx) {
      window.htmx.process(target);
    }
  }

  function failure(text) {
    const list = document.createElement("ul");
    const item = document.createElement("li");
    list.className = "messages";
    item.className = "error";
    item.textContent = text;
    list.appendChild(item);
    return list.outerHTML;
  }

  async function run(job, file) {
    const outcome = job.querySelector(".roster-outcome");
    const data = new FormData();
    data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    data.append("file", file);
    try {
      const response = await post(job.dataset.runUrl, data);
      // A 5xx (or a proxy's timeout page) is not an outcome; the progress bar keeps showing the job's real state.
      show(outcome, response.status < 500 ? await response.text() : failure(form.dataset.runFailed));
    } catch (error) {
      show(outcome, failure(form.dataset.runFailed));
    }
  }

  form.addEventListener("submit", async function (event) {
    const file = form.elements.file.files[0];
    if (!file) {
      return;  // the browser asks for one (the input is required)
    }
    event.preventDefault();
    button.disabled = true;
    try {
      const start = new FormData(form);
      start.delete("file");
      start.set("file_name", file.name);
      let started;
      try {
        started = await post(form.action, start);
        show(slot, started.status < 500 ? await started.text() : failure(form.dataset.startFailed));
      } catch (error) {
        show(slot, failure(form.dataset.startFailed));
        return;
      }
      const job = slot.querySelector("[data-run-url]");
      if (started.ok && job) {
        await run(job, file);
      }
    } finally {
      button.disabled = false;
    }
  });
})();
