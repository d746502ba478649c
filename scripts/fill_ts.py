"""Fill Vietnamese translations into a Qt Linguist .ts file from a JSON map {source: vi}.

For maintainers adding strings: pyside6-lupdate FILE.py -ts kiosk/ui/i18n/NAME_vi.ts,
then  .venv/bin/python scripts/fill_ts.py kiosk/ui/i18n/NAME_vi.ts map.json
(or translate in pyside6-linguist). Marks filled messages finished.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def main() -> None:
    ts, mapping = Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text("utf-8"))
    tree = ET.parse(ts)
    left = []
    for message in tree.getroot().iter("message"):
        source = message.findtext("source", "")
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        if source in mapping:
            translation.text = mapping[source]
            translation.attrib.pop("type", None)
        elif translation.get("type") == "unfinished":
            left.append(source)
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    if left:
        print("still untranslated:", *left, sep="\n  ")


if __name__ == "__main__":
    main()
