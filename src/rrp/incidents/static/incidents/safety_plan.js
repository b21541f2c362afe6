// The patient's safety plan on the recording form (issue 6). Choosing the patient draws their
// plan at a glance just below, and the answer to "were these types of force in the care plan"
// taken from it (and who is to be told, s.6(5)(p)), without reloading the form or moving focus. Without JavaScript, or if the
// plan cannot be fetched, the "Show their safety plan" button redraws the whole form instead.
const form = document.querySelector('form[data-plan-url]')
const patient = form && form.querySelector('#id_patient')
const typed = form && form.querySelector('#id_patient_local_id')
const button = form && form.querySelector('[data-show-plan-button]')
const status = document.getElementById('safety-plan-status')
let latest = 0

function fallBack () {
  if (button) button.hidden = false
}

function swap (part, id, keep) {
  const fresh = part.getElementById(id)
  const shown = document.getElementById(id)
  if (fresh && shown && !keep(fresh, shown)) shown.replaceWith(document.importNode(fresh, true))
  return fresh
}

async function showPlan () {
  const asked = ++latest
  const query = new URLSearchParams({
    part: 'plan',
    patient: patient ? patient.value : '',
    patient_local_id: typed ? typed.value.trim() : ''
  })
  let text
  try {
    const response = await fetch(`${form.dataset.planUrl}?${query}`, {
      credentials: 'same-origin',
      headers: { Accept: 'text/html' }
    })
    if (!response.ok) return fallBack()
    text = await response.text()
  } catch {
    return fallBack()
  }
  if (asked !== latest) return // the patient was changed again meanwhile
  const part = new DOMParser().parseFromString(text, 'text/html')
  const plan = swap(part, 'safety-plan', () => false)
  // While the question is still asked, an answer already chosen is kept.
  swap(part, 'care-plan-answer', (fresh, shown) =>
    fresh.dataset.mode === 'question' && shown.dataset.mode === 'question')
  // Who to tell (s.6(5)(p)): an answer already chosen is kept while the same question stays.
  swap(part, 'notification-answer', (fresh, shown) =>
    fresh.dataset.mode !== 'answer' && fresh.dataset.mode === shown.dataset.mode &&
    fresh.querySelector('legend')?.textContent === shown.querySelector('legend')?.textContent)
  if (status && plan) status.textContent = plan.dataset.status || ''
}

if (form && button && (patient || typed)) {
  button.hidden = true
  if (patient) patient.addEventListener('change', showPlan)
  if (typed) typed.addEventListener('change', showPlan)
}
