-- PDF (rule article_pdf): each figure as its SVG beside the PNG, so that the PDF holds vector
-- figures; the PNG stays where no SVG was written.
function Image(el)
  local svg = el.src:gsub("%.png$", ".svg")
  local f = io.open(svg, "r")
  if f then
    f:close()
    el.src = svg
  end
  return el
end
