# check_html.cmake — structure of the HTML report written by `salespipe report --html`,
# without a browser (cmake -DHTML=file -DSECTIONS=k1,k2 -DMIN_SVG=n -P check_html.cmake):
#  - an HTML5 document: doctype, <html>, <head> with <meta charset> and <title>, one <main>;
#  - self-contained: no <script>, no <link>, no src=/href= to another document, no url();
#    the only "http" is the SVG namespace;
#  - one <section data-key="k"> per expected key, opened and closed as often;
#  - at least MIN_SVG inline <svg> documents, each with xmlns, viewBox and a <title>, and
#    <svg>, <table>, <figure>, <tr> balanced;
#  - no unescaped text: no "nan" coordinate, no "<<" or "&" outside an entity.
cmake_policy(SET CMP0007 NEW)  # count() lists may hold empty elements
string(REPLACE "," ";" SECTIONS "${SECTIONS}")
if(NOT EXISTS "${HTML}")
  message(FATAL_ERROR "${HTML}: no such file")
endif()
file(READ "${HTML}" _h)
string(REPLACE ";" "," _h "${_h}")  # ';' would split the match lists (entities end with ',' below)
set(_fail "")
# expect("a;OP;b" message): the condition's words separated by ';' (a macro argument is
# not split on spaces).
macro(expect cond what)
  if(NOT (${cond}))
    list(APPEND _fail "${what}")
  endif()
endmacro()
macro(count var regex)
  string(REGEX MATCHALL "${regex}" _m "${_h}")
  list(LENGTH _m ${var})
endmacro()

string(FIND "${_h}" "<!DOCTYPE html>" _p)
expect("_p;EQUAL;0" "does not start with <!DOCTYPE html>")
foreach(_tag html head body main)
  count(_o "<${_tag}[ >]")
  count(_c "</${_tag}>")
  expect("_o;EQUAL;1;AND;_c;EQUAL;1" "<${_tag}> opened ${_o}, closed ${_c} times (want 1)")
endforeach()
string(FIND "${_h}" "<meta charset=\"utf-8\">" _p)
expect("_p;GREATER;-1" "no <meta charset=\"utf-8\">")
string(REGEX MATCH "<title>[^<]+</title>" _t "${_h}")
expect("_t" "no <title>")

count(_n "<script")
expect("_n;EQUAL;0" "contains <script>")
count(_n "<link")
expect("_n;EQUAL;0" "contains <link>")
count(_n " src=")
expect("_n;EQUAL;0" "loads a src= resource")
count(_n "url[(]")
expect("_n;EQUAL;0" "CSS url() reference")
count(_n "href=\"[^#]")
expect("_n;EQUAL;0" "link to another document (href not starting with #)")
count(_http "https?://")
count(_ns "http://www[.]w3[.]org/2000/svg")
expect("_http;EQUAL;_ns" "references a network address other than the SVG namespace")

foreach(_k IN LISTS SECTIONS)
  count(_n "<section id=\"[^\"]*\" data-key=\"${_k}\">")
  expect("_n;EQUAL;1" "section '${_k}' present ${_n} times (want 1)")
endforeach()
foreach(_tag section svg table figure tr thead tbody)
  count(_o "<${_tag}[ >]")
  count(_c "</${_tag}>")
  expect("_o;EQUAL;_c" "<${_tag}> opened ${_o} but closed ${_c} times")
endforeach()
count(_svg "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"[0-9.]+\" height=\"[0-9.]+\" viewBox=\"0 0 [0-9.]+ [0-9.]+\"[^>]*>\n<title>[^<]+</title>")
count(_all "<svg[ >]")
expect("_svg;EQUAL;_all" "${_all} <svg> but ${_svg} with xmlns, size, viewBox and a <title>")
if(NOT DEFINED MIN_SVG)
  set(MIN_SVG 1)
endif()
expect("_svg;GREATER_EQUAL;MIN_SVG" "${_svg} charts, want at least ${MIN_SVG}")
count(_n "=\"-?nan\"|=\"-?inf\"")
expect("_n;EQUAL;0" "a non-finite number in an attribute")
count(_amp "&")
count(_ent "&(amp|lt|gt|quot|#39),")
expect("_amp;EQUAL;_ent" "an unescaped '&' (${_amp} '&', ${_ent} entities)")

if(_fail)
  list(JOIN _fail "\n  " _msg)
  message(FATAL_ERROR "${HTML}:\n  ${_msg}")
endif()
message(STATUS "${HTML}: ok (${_svg} charts, sections: ${SECTIONS})")
