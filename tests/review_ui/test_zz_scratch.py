import json
from tests.helpers import upload_invoice, upload

def test_show(make_user, client_for, run_jobs):
    c = client_for(make_user("clerk"))
    d = upload_invoice(c)
    f = upload(c, b"%PDF-1.4\n1 0 obj garbage\n%%EOF", filename="broken.pdf")
    run_jobs()
    print(json.dumps(c.get(f"/api/v1/documents/{d['id']}").json(), indent=1))
    print(json.dumps(c.get(f"/api/v1/documents/{f['id']}").json(), indent=1))
