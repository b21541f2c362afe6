from incidents.test_pages_safety_plan_care_plan_answer import *  # noqa
from incidents.pages import text_of

def test_dump(nurse_client, oak_nurse, jo, clock):
    write_plan(jo, oak_nurse, dt.datetime(2026, 10, 1, 9, 0, tzinfo=LONDON))
    r = nurse_client.get(f"{URL}?patient={jo.pk}")
    open("/tmp/glance.html", "w").write(r.content.decode())
    t = text_of(r)
    i = t.index("Were these types")
    print(t[i-100:i+500])
