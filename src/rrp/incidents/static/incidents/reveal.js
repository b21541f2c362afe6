// Parts of a form needed only for some answers ("If yes: who was injured?"). Without
// JavaScript every part shows and the form works the same. A part that already holds an
// answer or a problem stays shown, so nothing typed is ever hidden.
function holdsAnswer (part) {
  if (part.querySelector('.nhsuk-error-message')) return true
  return [...part.querySelectorAll('input, select, textarea')].some((field) =>
    (field.type === 'checkbox' || field.type === 'radio') ? field.checked : field.value.trim() !== '')
}

for (const part of document.querySelectorAll('[data-reveal-name]')) {
  const radios = [...document.querySelectorAll('input[type="radio"]')]
    .filter((radio) => radio.name === part.dataset.revealName)
  const keep = holdsAnswer(part)
  const update = () => {
    const chosen = radios.find((radio) => radio.checked)
    part.hidden = !keep && !(chosen && chosen.value === part.dataset.revealWhen)
  }
  for (const radio of radios) radio.addEventListener('change', update)
  update()
}
