#!/usr/bin/env bash
# Against a running `make run` (usage: bench/curl_upload.sh . 8000): upload one generated invoice with curl,
# then time the 201 and the time until the document is in review with a voucher.
set -u
cd "$1"; PORT=$2
.venv/bin/python -c "
from ledgerdesk.samples import SampleInvoice, render_invoice_pdf
import sys
open('/tmp/curl-invoice.pdf','wb').write(render_invoice_pdf(SampleInvoice(invoice_number=sys.argv[1])))" "CURL-$RANDOM"
TOKEN=$(.venv/bin/ledgerdesk token create --name curl 2>/dev/null)
START=$(date +%s.%N)
curl -s -o /tmp/up.json -w "upload: HTTP %{http_code} in %{time_total}s\n" -H "Authorization: Bearer $TOKEN" -F file=@/tmp/curl-invoice.pdf http://127.0.0.1:$PORT/api/v1/documents
cat /tmp/up.json; echo
ID=$(python3 -c "import json; print(json.load(open('/tmp/up.json'))['id'])" 2>/dev/null) || exit 1
for i in $(seq 1 400); do
  S=$(curl -s -H "Authorization: Bearer $TOKEN" http://127.0.0.1:$PORT/api/v1/documents/$ID | python3 -c "import json,sys; d=json.load(sys.stdin); print(d['status'], d['voucher_id'])" 2>/dev/null)
  case "$S" in needs_review*) break;; esac
  sleep 0.02
done
END=$(date +%s.%N)
echo "status+voucher: $S; time to review: $(python3 -c "print(round($END-$START,3))")s"
