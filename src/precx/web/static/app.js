// Small behaviours that CSP forbids inline: submit a form when its select changes.
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit")) {
    target.form?.submit();
  }
});

// Demo login page: clicking a demo e-mail fills the login form.
document.addEventListener("click", (event) => {
  const target = event.target;
  if (target instanceof HTMLElement && target.classList.contains("demo-login")) {
    const email = document.getElementById("email");
    const password = document.getElementById("password");
    if (email instanceof HTMLInputElement) email.value = target.textContent?.trim() ?? "";
    if (password instanceof HTMLInputElement) password.focus();
  }
});
