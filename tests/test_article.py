from pipeline.article import PageCleaner, extract_article, find_date, html_to_text
from pipeline.types import Document

MARKERS = ["上一则", "延伸阅读", "热门新闻"]


def _document(text: str, kind: str = "txt") -> Document:
    return Document(doc_id="d", text=text, source="test", format=kind)  # type: ignore[arg-type]


def test_sample_page_keeps_title_to_tags(extractor, sample_document, gold):
    article = extract_article(sample_document, extractor.cleaner)
    assert article.text.startswith(gold["article"]["starts_with"])
    assert article.text.endswith(gold["article"]["ends_with"])
    assert article.title == gold["article"]["title"]
    assert article.date == "2025-11-05"
    assert sample_document.text[article.start : article.end] == article.text


def test_sample_page_drops_related_and_hot_lists(extractor, sample_document):
    article = extract_article(sample_document, extractor.cleaner)
    for furniture in ("延伸閱讀", "熱門新聞", "波士頓市長吳弭", "全紅嬋"):
        assert furniture not in article.text


def test_text_without_page_markers_is_kept_whole():
    text = "\n國務院今天發布新規定。\n新華社報導，相關措施將於明年實施，各地政府須配合執行。\n"
    start, end, title = PageCleaner(MARKERS).article_span(text)
    assert text[start:end] == text.strip()
    assert title is None


def test_page_cleaner_stops_at_a_section_marker():
    body = (
        "記者王小明／台北報導\n"
        + "行政院今日宣布新的半導體補助計畫，總額達新台幣百億元，預計明年起實施。" * 2
    )
    page = f"首頁\n快訊\n半導體補助新制上路\n{body}\n半導體 補助\n上一則\n另一則新聞標題\n"
    start, end, title = PageCleaner(MARKERS).article_span(page)
    assert title == "半導體補助新制上路"
    assert page[start:end].endswith("半導體 補助")
    assert "上一則" not in page[start:end]


def test_find_date_reads_iso_and_chinese_dates():
    assert find_date("date 2025-11-05 我的頻道") == "2025-11-05"
    assert find_date("2024年3月1日起實施") == "2024-03-01"
    assert find_date("沒有日期") is None


def test_html_text_maps_back_to_the_markup():
    source = "<html><body><p>輝達&amp;台積電</p><p>黃仁勳  說</p></body></html>"
    text, offsets = html_to_text(source)
    start = text.index("黃仁勳")
    mapped = offsets.span(start, start + 3)
    assert source[mapped[0] : mapped[1]] == "黃仁勳"
    amp = text.index("&")
    assert source[slice(*offsets.span(amp, amp + 1))] == "&amp;"
    assert "<p>" not in text


def test_html_article_leaves_navigation_and_scripts_out(extractor):
    paragraphs = "".join(
        f"<p>第{i}段：美國商務部週三宣布新的晶片出口管制措施，輝達與超微的產品都受影響，業界正在評估衝擊。</p>"
        for i in range(6)
    )
    page = (
        "<html><head><title>晶片管制新規</title><script>var x = '熱門新聞';</script></head><body>"
        "<nav><a href='/'>首頁</a> <a href='/tech'>科技</a> <a>熱門新聞</a></nav>"
        f"<article><h1>晶片管制新規</h1>{paragraphs}</article>"
        "<footer>版權所有 © 2025 範例新聞</footer></body></html>"
    )
    article = extract_article(_document(page, "html"), extractor.cleaner)
    assert "美國商務部週三宣布" in article.text
    assert "首頁" not in article.text and "版權所有" not in article.text
    assert "var x" not in article.text
    position = article.text.index("輝達")
    start, end = article.offsets.span(position, position + 2)
    assert page[start:end] == "輝達"
    assert article.start <= start < end <= article.end


def test_html_with_no_article_still_gives_a_span(extractor):
    page = "<html><body><nav><a>首頁</a><a>國際</a></nav><footer>版權所有</footer></body></html>"
    article = extract_article(_document(page, "html"), extractor.cleaner)
    assert 0 <= article.start <= article.end <= len(page)
    assert "<" not in article.text


def test_malformed_html_is_read(extractor):
    page = "<div><p>華為發布新晶片<b>昇騰910C</p></div></span><p>第二段<i>未關閉"
    text, offsets = html_to_text(page)
    assert "昇騰910C" in text and "第二段" in text
    start = text.index("昇騰910C")
    assert page[slice(*offsets.span(start, start + 7))] == "昇騰910C"


def test_xml_entities_are_never_expanded(extractor):
    page = (
        '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
        '<!ENTITY lol "lollollollollollollol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
        "<html><body><p>新聞內容&xxe;&lol2;，台積電宣布擴產，預計明年量產新製程晶片。</p></body></html>"
    )
    article = extract_article(_document(page, "html"), extractor.cleaner)
    assert "root:" not in article.text
    assert "lollollol" not in article.text


def test_reading_a_page_opens_no_network_connection(extractor, monkeypatch):
    import socket

    attempts = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: attempts.append(address))
    page = (
        '<html><head><link rel="stylesheet" href="http://example.com/a.css">'
        '<script src="http://example.com/x.js"></script></head><body>'
        '<img src="http://example.com/p.png"><iframe src="http://example.com/f"></iframe>'
        + "<p>美國商務部週三宣布新的晶片出口管制措施，輝達的產品受到影響。</p>" * 5
        + "</body></html>"
    )
    extractor(_document(page, "html"))
    assert attempts == []


def test_a_page_of_scripts_and_styles_gives_only_its_article(extractor):
    script = "<script>var news = '熱門新聞'; for (;;) { fetch('http://example.com'); }</script>"
    style = "<style>.headline { color: red; } /* 版權所有 */</style>"
    story = "<p>台積電宣布在高雄擴建先進製程晶圓廠，預計明年量產，投資金額創下新高。</p>"
    page = f"<html><head>{style * 500}</head><body>{script * 500}<article>{story * 5}</article>"
    page += f"{script * 500}</body></html>"
    article = extract_article(_document(page, "html"), extractor.cleaner)
    assert "台積電宣布在高雄擴建" in article.text
    assert "var news" not in article.text and "color: red" not in article.text
    position = article.text.index("台積電")
    assert page[slice(*article.offsets.span(position, position + 3))] == "台積電"
