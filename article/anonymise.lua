-- Anonymised manuscript for blind review (article.anon.docx): drops every block marked
-- .identifying (authors, affiliations, ORCID, e-mail, funding, acknowledgements) and any
-- author metadata.
function Div(el)
  if el.classes:includes("identifying") then
    return {}
  end
end

function Meta(meta)
  meta.author = nil
  return meta
end
