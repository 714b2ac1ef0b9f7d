#!/usr/bin/env bash
# Render the README pictures: merge the examples (with a few materials), print the workbook to PDF with LibreOffice,
# put the 汇总 and 分单位明细 pages side by side in docs/merged-report.png, and the first page of
# 报送情况 and of 问题清单 in docs/status-sheet.png and docs/issues-sheet.png.
# Needs: libreoffice-calc, fonts-noto-cjk, poppler-utils, and Pillow in the active Python.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
# The example forms, with some of the other materials a unit sends (empty files will do: they are
# recognised by name, never opened): 城区 and 泽州县 everything, 高平市 only photos.
cp -r examples/returned "$work/收回"
mkdir -p "$work/收回/泽州县/照片"
touch "$work/收回/泽州县/2023年3·15活动总结.docx" "$work/收回/泽州县/照片/"IMG_000{1,2,3,4,5,6}.jpg
touch "$work/收回/城区市场监管局3·15活动总结.wps" "$work/收回/城区活动照片.zip" "$work/收回/高平市局-宣传现场.jpg"
jc315 merge "$work/收回" -o "$work/汇总.xlsx" --date 2023-03-25 >/dev/null
soffice -env:UserInstallation=file://$work/profile --headless --convert-to pdf --outdir "$work" "$work/汇总.xlsx" >/dev/null 2>&1
pdftoppm -png -r 80 "$work/汇总.pdf" "$work/page"
python - "$work" <<'PY'
import sys
from pathlib import Path
from PIL import Image, ImageChops

work = Path(sys.argv[1])
def trim(page):
    """Crop the blank paper around the printed area, keeping a small margin."""
    box = ImageChops.difference(page, Image.new("RGB", page.size, "white")).getbbox()
    left, top, right, bottom = box
    return page.crop((max(left - 30, 0), max(top - 30, 0), min(right + 30, page.width), min(bottom + 30, page.height)))


all_pages = sorted(work.glob("page-*.png"))
pages = [trim(Image.open(p).convert("RGB")) for p in all_pages[:2]]
trim(Image.open(all_pages[2]).convert("RGB")).save("docs/status-sheet.png", optimize=True)
trim(Image.open(all_pages[-1]).convert("RGB")).save("docs/issues-sheet.png", optimize=True)
height = max(p.height for p in pages)
sheet = Image.new("RGB", (sum(p.width for p in pages) + 20, height), "white")
x = 0
for page in pages:
    sheet.paste(page, (x, 0))
    x += page.width + 20
sheet.save("docs/merged-report.png", optimize=True)
PY
echo "docs/merged-report.png"

# The first page of the 对比 workbook (2023 against 2024, examples/make_merged.py), cropped to
# the printed table, in docs/compare-sheet.png.
jc315 compare "examples/2023年晋城市3·15活动情况汇总.xlsx" "examples/2024年晋城市3·15活动情况汇总.xlsx" \
    --campaign examples/campaign-2024.toml -o "$work/对比.xlsx" >/dev/null
soffice -env:UserInstallation=file://$work/profile --headless --convert-to pdf --outdir "$work" "$work/对比.xlsx" >/dev/null 2>&1
pdftoppm -png -r 80 -f 1 -l 1 -x 25 -y 55 -W 885 -H 455 -singlefile "$work/对比.pdf" docs/compare-sheet
echo "docs/compare-sheet.png"
