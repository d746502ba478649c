"""Write tests/vectors/hcm1.json: golden HCM1 cards signed with throwaway keys.

The private keys exist only while this script runs; the vectors keep the public keys,
every intermediate encoding and the expected decisions. Run once, commit the JSON:
    .venv/bin/python tests/vectors/make_hcm1_vectors.py
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

from kiosk.domain import Card, Colour, Holder, NegativeTest, Vaccination
from kiosk.formats import base45, envelope, hcm1
from kiosk.issuing import issue
from kiosk.verify.keys import EDDSA, ES256, SigningKey


def card(**fields: object) -> Card:
    base: dict[str, object] = {
        "format": hcm1.NAME,
        "issuer": "VN-HCM",
        "key_id": b"",
        "issued_at": datetime(2021, 9, 5, 1, 0, tzinfo=UTC),
        "not_before": None,
        "expires_at": datetime(2022, 9, 5, 1, 0, tzinfo=UTC),
    }
    base.update(fields)
    return Card(**base)  # type: ignore[arg-type]


def main() -> None:
    ed, es = SigningKey.generate(EDDSA), SigningKey.generate(ES256)
    cases = [
        (
            "two doses, green",
            ed,
            card(
                card_id=str(uuid.uuid4()),
                holder=Holder("Nguyễn Văn An", "1987-05-12", "4821"),
                issued_colour=Colour.GREEN,
                vaccinations=(
                    Vaccination("EU/1/21/1529", 1, 2, date(2021, 6, 20)),
                    Vaccination("EU/1/21/1529", 2, 2, date(2021, 8, 15)),
                ),
            ),
            [("2021-09-19T10:00:00+07:00", None, "green", "admitted_green")],
        ),
        (
            "one dose of two, issued yellow: yellow until the 20 Sept 2021 rules, then green",
            ed,
            card(
                card_id=str(uuid.uuid4()),
                holder=Holder("Trần Thị Bích Ngọc", "1995", "0377"),
                issued_colour=Colour.YELLOW,
                vaccinations=(Vaccination("BBIBP-CorV", 1, 2, date(2021, 9, 1)),),
            ),
            [
                ("2021-09-10T10:00:00+07:00", None, "red", "no_valid_basis"),
                ("2021-09-19T10:00:00+07:00", None, "yellow", "admitted_yellow"),
                ("2021-09-19T10:00:00+07:00", "dine-in", "red", "not_admitted"),
                ("2021-09-21T10:00:00+07:00", None, "green", "admitted_green"),
                ("2021-09-21T10:00:00+07:00", "dine-in", "green", "admitted_green"),
            ],
        ),
        (
            "negative rapid test, ES256",
            es,
            card(
                card_id=str(uuid.uuid4()),
                holder=Holder("Lê Hoàng Phúc", "2001-11-02", "1190"),
                issued_colour=Colour.YELLOW,
                issued_at=datetime(2021, 9, 18, 2, 0, tzinfo=UTC),
                expires_at=datetime(2021, 9, 21, 1, 0, tzinfo=UTC),
                tests=(NegativeTest("LP217198-3", datetime(2021, 9, 18, 1, 0, tzinfo=UTC)),),
            ),
            [
                ("2021-09-19T10:00:00+07:00", "supermarket", "yellow", "admitted_yellow"),
                ("2021-09-21T09:00:00+07:00", None, "red", "expired"),
            ],
        ),
    ]
    vectors = []
    for name, key, the_card, expectations in cases:
        text = issue(the_card, key)
        compressed = base45.b45decode(text[len(hcm1.PREFIX) :])
        cose_bytes = envelope.inflate(compressed)
        vectors.append(
            {
                "name": name,
                "public_key_pem": key.public.pem().decode(),
                "kid": key.public.kid.hex(),
                "alg": key.algorithm.value,
                "text": text,
                "compressed_hex": compressed.hex(),
                "cose_hex": cose_bytes.hex(),
                "claims_hex": hcm1.encode_claims(the_card).hex(),
                "card_id": the_card.card_id,
                "holder": {
                    "name": the_card.holder.name,
                    "birth_date": the_card.holder.birth_date,
                    "id_last4": the_card.holder.id_last4,
                },
                "expect": [
                    {"at": at, "venue": venue, "verdict": verdict, "reason": reason}
                    for at, venue, verdict, reason in expectations
                ],
            }
        )
    out = Path(__file__).with_name("hcm1.json")
    out.write_text(json.dumps(vectors, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
