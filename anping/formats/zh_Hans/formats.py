"""Chinese formats, with ISO dates first among the input formats.

Django renders a date field's value with the first input format of the active locale; for
zh-hans that is "%Y/%m/%d", which an <input type="date"> rejects (it takes only ISO
"2026-12-02"), so phones showed every date field empty. ISO first fixes every date widget at
once; the slash and 年月日 forms are still accepted when typed."""

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2016-09-05', what <input type="date"> sends and shows
    "%Y/%m/%d",  # '2016/09/05'
    "%Y年%n月%j日",  # '2016年9月5日'
]
