// Progressive disclosure on the recording form. Without JavaScript every field shows and the
// form works the same; with it, a row shows the drug, dose and route only for chemical
// restraint, the higher-risk box only for rapid tranquillisation, the later end date only
// for types that can last for days, and why prone was used only for prone restraint. A part
// that already holds an answer or a problem stays. The server checks each of them whatever
// is shown.
const CHEMICAL = new Set(['14', '15', '16', '17'])
const RAPID = new Set(['14'])
const LONG = new Set(['04', '05', '06'])
const PRONE = new Set(['01'])
const WANTED = { chemical: CHEMICAL, rapid: RAPID, long: LONG, prone: PRONE }

function holdsAnswer (part) {
  if (part.querySelector('.nhsuk-error-message')) return true
  return [...part.querySelectorAll('input, select, textarea')].some((field) =>
    field.type === 'checkbox' ? field.checked : field.value.trim() !== '')
}

for (const row of document.querySelectorAll('[data-intervention-row]')) {
  const type = row.querySelector('select.rrp-type-select')
  if (!type) continue
  const parts = row.querySelectorAll('[data-show-for]')
  const update = () => {
    for (const part of parts) {
      part.hidden = !(WANTED[part.dataset.showFor].has(type.value) || holdsAnswer(part))
    }
  }
  type.addEventListener('change', update)
  update()
}

// Choosing a colleague fills in their job title from their account, unless one was typed.
for (const person of document.querySelectorAll('select.rrp-member-select')) {
  const row = person.closest('.rrp-row')
  const jobTitle = row && row.querySelector('input.rrp-job-title')
  if (!jobTitle) continue
  person.addEventListener('change', () => {
    const chosen = person.selectedOptions[0]
    if (jobTitle.value.trim() === '' || jobTitle.dataset.filledIn === 'yes') {
      jobTitle.value = (chosen && chosen.dataset.jobTitle) || ''
      jobTitle.dataset.filledIn = 'yes'
    }
  })
}

// A position change follows straight on: choosing the type of the next line starts it when
// the line before ended, unless a start was typed. Changing that end moves the start with it.
const rows = [...document.querySelectorAll('[data-intervention-row]')]
rows.forEach((row, index) => {
  const previous = rows[index - 1]
  const type = row.querySelector('select.rrp-type-select')
  const start = row.querySelector('input[name$="-started_at"]')
  const before = previous && previous.querySelector('input[name$="-ended_at"]')
  if (!type || !start || !before) return
  const follow = () => {
    if (type.value === '' || before.value.trim() === '') return
    if (start.value.trim() === '' || start.dataset.filledIn === 'yes') {
      start.value = before.value.trim()
      start.dataset.filledIn = 'yes'
    }
  }
  type.addEventListener('change', follow)
  before.addEventListener('change', follow)
  start.addEventListener('input', () => { start.dataset.filledIn = 'no' })
})

// The degree of harm grades physical harm to the patient: asked only when someone was
// injured or the patient died or was seriously injured. With both answered no, the server
// records "No harm". Shown again if it already holds an answer or a problem.
const harm = document.querySelector('[data-harm-question]')
if (harm) {
  const radios = [...document.querySelectorAll(
    'input[type="radio"][name="death_or_serious_injury"], input[type="radio"][name="anyone_injured"]')]
  const keep = harm.querySelector('.nhsuk-error-message') ||
    [...harm.querySelectorAll('input[type="radio"]')].some((radio) => radio.checked)
  const answeredNo = (name) => radios.some((radio) => radio.name === name && radio.checked && radio.value === 'no')
  const update = () => {
    harm.hidden = !keep && answeredNo('death_or_serious_injury') && answeredNo('anyone_injured')
  }
  for (const radio of radios) radio.addEventListener('change', update)
  update()
}
