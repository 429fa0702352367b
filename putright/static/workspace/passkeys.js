// Once a passkey is set up (django-otp-webauthn's script announces it), go where the page says:
// "Your sign-in" shows it in the list, and the set-up page continues to the page first asked for.
document.addEventListener("otp_webauthn.register_complete", function () {
  var done = document.querySelector("[data-passkey-done]");
  window.location.assign(done ? done.getAttribute("data-passkey-done") : window.location.href);
});
