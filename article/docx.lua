-- Word manuscript (rule article_docx): links to files of the repository or to pages beside
-- the HTML article mean nothing in a submitted .docx; keep their text, drop the link.
-- Web links (http, https, mailto) and links inside the document (#anchor) stay.
function Link(el)
  local t = el.target
  if t:match("^https?:") or t:match("^mailto:") or t:match("^#") then
    return el
  end
  return el.content
end

-- Column widths: the Markdown tables' dash counts would fix them; share the text width by
-- the longest cell of each column instead (capped, so one long note does not squeeze the
-- numbers), so short numeric columns stay on one line.
local function longest(cells, widths, header)
  for j, cell in ipairs(cells) do
    local text = pandoc.utils.stringify(cell.contents)
    local n = 0
    if header then -- a header may wrap between words, not inside one
      for word in text:gmatch("%S+") do n = math.max(n, utf8.len(word) or 0) end
    else
      n = utf8.len(text) or 0
    end
    -- + 5: room for the cell margins
    widths[j] = math.max(widths[j] or 8, math.min(n, 30) + 5)
  end
end

-- Typst breaks a line only between words: a long token in a table cell (a DOI, a file name)
-- would run over the next column. Allow a break after its / . : _ ; characters (a zero-width
-- space); Word wraps such tokens itself.
local function breakable_tokens(cell)
  return cell:walk({
    Str = function(s)
      if utf8.len(s.text) and utf8.len(s.text) > 20 then
        return pandoc.Str((s.text:gsub("([/%.:_;])", "%1\u{200B}")))
      end
    end,
  })
end

function Table(tbl)
  local widths = {}
  for _, row in ipairs(tbl.head.rows) do longest(row.cells, widths, true) end
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do longest(row.cells, widths, false) end
  end
  local total = 0
  for j = 1, #tbl.colspecs do total = total + (widths[j] or 8) end
  for j, spec in ipairs(tbl.colspecs) do
    tbl.colspecs[j] = { spec[1], (widths[j] or 8) / total }
  end
  if FORMAT == "typst" then
    for _, body in ipairs(tbl.bodies) do
      for _, row in ipairs(body.body) do
        for j, cell in ipairs(row.cells) do row.cells[j] = breakable_tokens(cell) end
      end
    end
  end
  return tbl
end

-- A paragraph that labels the table below it ("**Table S3.** ...", the supplement's own
-- numbering) stays on the page of the table's first row: sticky in Typst; in Word the
-- paragraph is kept with the next one by the .docx post-processing (kzopen.article.docx).
local function labels_table(blk, nxt)
  if blk.t ~= "Para" or not nxt or nxt.t ~= "Table" then return false end
  local first = blk.content[1]
  return first ~= nil and first.t == "Strong"
    and pandoc.utils.stringify(first):match("^Table ") ~= nil
end

function Blocks(blocks)
  if FORMAT ~= "typst" then return nil end
  local out = pandoc.List()
  for i, blk in ipairs(blocks) do
    if labels_table(blk, blocks[i + 1]) then
      out:insert(pandoc.RawBlock("typst", "#block(sticky: true)["))
      out:insert(blk)
      out:insert(pandoc.RawBlock("typst", "]"))
    else
      out:insert(blk)
    end
  end
  return out
end
