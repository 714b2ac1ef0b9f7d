#!/usr/bin/env bash
# Render the README pictures: merge the examples (with a few materials), print the workbook to PDF with LibreOffice,
# put the 汇总 and 分单位明细 pages side by side in docs/merged-report.png, and the first page of
# 报送情况 and of 问题清单 in docs/status-sheet.png and docs/issues-sheet.png; a 退回 form in
# docs/feedback-form.png; the 对比 workbook's first page in docs/compare-sheet.png.
# Needs: libreoffice-calc, fonts-noto-cjk, fonts-crosextra-carlito (Calibri's widths, as on
# Windows), poppler-utils, and Pillow in the active Python.
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
import subprocess
import sys
from pathlib import Path
from PIL import Image, ImageChops

work = Path(sys.argv[1])
def trim(page):
    """Crop the blank paper around the printed area, keeping a small margin."""
    box = ImageChops.difference(page, Image.new("RGB", page.size, "white")).getbbox()
    left, top, right, bottom = box
    return page.crop((max(left - 30, 0), max(top - 30, 0), min(right + 30, page.width), min(bottom + 30, page.height)))


def first_page(words):
    """The number of the first PDF page whose text holds `words` (a sheet's title)."""
    for number in range(1, len(all_pages) + 1):
        text = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(work / "汇总.pdf"), "-"], capture_output=True, text=True).stdout
        if words in text:
            return number
    raise SystemExit(f"no page with {words}")


all_pages = sorted(work.glob("page-*.png"))
page = lambda number: trim(Image.open(all_pages[number - 1]).convert("RGB"))
trim(Image.open(all_pages[first_page("报送情况（截止") - 1]).convert("RGB")).save("docs/status-sheet.png", optimize=True)
trim(Image.open(all_pages[first_page("问题清单（") - 1]).convert("RGB")).save("docs/issues-sheet.png", optimize=True)
# Left: 汇总. Right: 分单位明细, its table above its chart (the chart prints on a page of its own).
detail = first_page("表分单位明细")  # its title, not 汇总's note naming it
right = [page(detail), page(detail + 1)]
column = Image.new("RGB", (max(p.width for p in right), sum(p.height for p in right)), "white")
column.paste(right[0], (0, 0))
column.paste(right[1], (0, right[0].height))
pages = [page(1), column]
height = max(p.height for p in pages)
sheet = Image.new("RGB", (sum(p.width for p in pages) + 20, height), "white")
x = 0
for part in pages:
    sheet.paste(part, (x, 0))
    x += part.width + 20
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

# 泽州县's form sent back (E9 typed with its unit, E10 in 元, E12 left blank): its first page,
# the reasons of the red cells printed under the form, in docs/feedback-form.png.
mkdir -p "$work/退回收回"
cp "examples/returned/2023年3·15活动情况统计表-泽州县市场监督管理局.xlsx" "$work/退回收回/"
python - "$work/退回收回/2023年3·15活动情况统计表-泽州县市场监督管理局.xlsx" <<'PY'
import sys
from openpyxl import load_workbook

wb = load_workbook(sys.argv[1])
ws = wb["统计表"]
ws["E9"], ws["E10"], ws["E12"] = "12场", "5000元", None
wb.save(sys.argv[1])
PY
jc315 feedback "$work/退回收回" -o "$work/退回" --date 2023-03-23 --deadline 2023-03-25 >/dev/null
soffice -env:UserInstallation=file://$work/profile --headless --convert-to pdf --outdir "$work" "$work/退回/退回-泽州县.xlsx" >/dev/null 2>&1
pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$work/退回-泽州县.pdf" docs/feedback-form
echo "docs/feedback-form.png"
