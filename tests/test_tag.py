"""The knowledge ruler, the chip model-number grammar and the title grammar, on real text."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from pipeline import extract  # noqa: F401  (registers the zhfacts components)
from pipeline.cache import CACHE_ENV
from pipeline.convert import converter
from pipeline.knowledge import Knowledge
from pipeline.tag import (
    KnowledgeRuler,
    Phrases,
    alias_table,
    non_overlapping,
    read_alias_table,
    trimmed_name_end,
)
from pipeline.types import STATISTICAL_COMPONENTS

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "zh_news"


@pytest.fixture(scope="module")
def nlp() -> Language:
    # The rule components alone: the statistical NER would blur what these tests check.
    return spacy.load(MODEL, exclude=STATISTICAL_COMPONENTS)


@pytest.fixture(scope="module")
def ruler(nlp: Language) -> KnowledgeRuler:
    return nlp.get_pipe("zhfacts_knowledge_ruler")


def ents(nlp: Language, text: str) -> list[tuple[str, str, str]]:
    """(text, label, id) of the entities in `text`, converted to simplified as zhfacts does."""
    doc = nlp(converter("t2s").text(text))
    return [(ent.text, ent.label_, ent.kb_id_) for ent in doc.ents]


def labelled(nlp: Language, text: str) -> dict[str, str]:
    return {text: label for text, label, _ in ents(nlp, text)}


def test_the_shipped_model_holds_the_current_knowledge(ruler: KnowledgeRuler) -> None:
    saved = read_alias_table(MODEL / "zhfacts_knowledge_ruler" / "alias_table.txt")
    assert saved == alias_table(Knowledge.from_dir(ROOT / "models" / "knowledge")), (
        "models/zh_news is stale: run `make model`"
    )


@pytest.mark.parametrize("name", ["輝達", "英偉達", "英伟达", "Nvidia", "NVIDIA"])
def test_taiwan_hong_kong_mainland_and_english_names_share_one_id(nlp: Language, name: str) -> None:
    assert ents(nlp, f"{name}股價上漲") == [
        (converter("t2s").text(name), "COMPANY", "company/nvidia")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("南韓總統訪問紐西蘭", ["place/kr", "place/nz"]),
        ("沙烏地阿拉伯與沙特官員會面", ["place/sa", "place/sa"]),
        ("超微與AMD", ["company/amd", "company/amd"]),
        ("川普與特朗普", ["person/donald-trump", "person/donald-trump"]),
    ],
)
def test_regional_forms_resolve_to_the_same_entity(
    nlp: Language, text: str, expected: list[str]
) -> None:
    assert [entity_id for _, _, entity_id in ents(nlp, text)] == expected


def test_the_longest_name_wins(nlp: Language) -> None:
    assert ents(nlp, "內蒙古自治區呼和浩特市") == [
        ("内蒙古自治区", "PROVINCE", "place/cn-15"),
        ("呼和浩特市", "GPE", "place/cn-150100"),
    ]
    assert ents(nlp, "海南航空宣布") == [("海南航空", "COMPANY", "company/hainan-airlines")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("苹果很好吃", {}),
        ("苹果公司股价大涨", {"苹果公司": "COMPANY"}),
        ("苹果最新iPhone销量", {"苹果": "COMPANY"}),
        ("一碗小米粥", {}),
        ("小米集团发布新车", {"小米集团": "COMPANY"}),
        ("北京当局表示", {"北京": "GPE"}),
        ("欧盟已与北京达成价格承诺", {"欧盟": "ORG", "北京": "GPE"}),
        ("峰会将在北京举行", {"北京": "PROVINCE"}),
        ("北京时间10时发射", {}),  # the time zone
        ("菲律宾向北京传达立场", {"菲律宾": "GPE", "北京": "GPE"}),  # the government
        ("比特币价格上涨", {}),  # a currency
        ("他擊出陽春全壘打", {}),  # a solo home run, not the county
        ("北京以价格承诺代替关税", {"北京": "GPE"}),  # the government acting
        ("法国政府表示反对", {"法国": "GPE"}),  # a country's government is the country
        ("州政府将在全州推广榴梿种植", {}),  # the whole state, not Jeonju
        ("韩国全州的拌饭很有名", {"韩国": "GPE", "全州": "GPE"}),
        ("削弱了对北京施加的关税压力", {"北京": "GPE"}),  # pressure on the government
        ("海信、联想等公司设厂", {"海信": "COMPANY", "联想": "COMPANY"}),  # listed, no verb
        ("这让人联想到过去", {}),  # the verb
        ("住在北京以南", {"北京": "PROVINCE"}),
        ("马德里与北京：从关税到投资", {"马德里": "GPE", "北京": "GPE"}),  # two governments
        ("北京和上海的房价", {"北京": "PROVINCE", "上海": "PROVINCE"}),
        ("组建新党参选", {}),  # a new party, not 新党
        ("新党主席表示", {"新党": "ORG"}),
        ("北京市政府宣布", {"北京市政府": "ORG"}),  # a body, not the city
        ("海南省发布通知", {"海南省": "PROVINCE"}),
        ("吉林省长春市", {"吉林省": "PROVINCE", "长春市": "GPE"}),
        ("吉林长春两地", {"吉林": "PROVINCE", "长春": "GPE"}),
        ("吉林市区", {"吉林市": "GPE"}),
        ("地平线上的太阳", {}),
        ("马华文学奖颁发", {}),  # Malaysian Chinese literature
        ("马华在大选中失利", {"马华": "ORG"}),  # the party MCA
        ("小米和vivo在印度", {"小米": "COMPANY", "vivo": "COMPANY", "印度": "GPE"}),
        ("地平线征程6芯片", {"地平线": "COMPANY", "征程6": "CHIP"}),
        ("座舱采用骁龙8295P芯片", {"骁龙8295P": "CHIP"}),  # a model number with a letter
        ("2025-09-18 HKT 17:42", {}),  # Hong Kong Time, not the company
        ("香港电讯HKT公布业绩", {"香港电讯": "COMPANY", "HKT": "COMPANY"}),
        ("保护区东至花莲、西至南投", {"花莲": "GPE", "南投": "GPE"}),  # 东至: east to
        ("安徽东至县发生山火", {"安徽": "PROVINCE", "东至县": "GPE"}),
        ("女儿陪她到派出所报案", {}),  # a police station no name names
        ("对上海临港两个项目出资", {"上海": "PROVINCE"}),  # the area, not the company
        ("将在台东至花莲之间登陆", {"台东": "GPE", "花莲": "GPE"}),  # 东至: east to
        ("上海临港控股发布公告", {"上海临港": "COMPANY"}),
        ("临港新片区管委会表示", {"临港新片区管委会": "ORG"}),  # the zone's committee
        ("与淡滨尼市镇理事会合作", {"淡滨尼市镇理事会": "ORG"}),  # the town's council
        ("上報記者林冠妤／台中報導", {"上报": "ORG", "林冠妤": "PERSON", "台中": "GPE"}),
        ("有关部门要及时上报疫情", {}),  # to report to a superior
        ("財政司司長陳茂波指出", {"陈茂波": "OFFICIAL"}),  # a title, not the office
        ("在临港新片区投资", {"临港新片区": "GPE"}),
        ("深圳前海与横琴", {"深圳": "GPE", "前海": "GPE", "横琴": "GPE"}),  # the places
        ("横琴粤澳深度合作区成立", {"横琴粤澳深度合作区": "GPE"}),  # the zone
        ("京东方面，京东集团表示", {"京东": "COMPANY", "京东集团": "COMPANY"}),  # JD's side
        ("京东方发布新屏", {"京东方": "COMPANY"}),
        ("美国联储局议息后减息", {"美国联储局": "ORG"}),  # Hong Kong's name for the Fed
    ],
)
def test_ambiguous_names_are_decided_by_context(
    nlp: Language, text: str, expected: dict[str, str]
) -> None:
    assert labelled(nlp, text) == expected


def test_names_are_not_hidden_in_jieba_compounds(nlp: Language) -> None:
    # jieba's dictionary has 德国总理 and 日本首相 as words; the user dictionary takes them apart.
    assert ("德国", "GPE", "place/de") in ents(nlp, "德国总理默茨表示")
    assert ("日本", "GPE", "place/jp") in ents(nlp, "日本首相高市早苗")


def test_a_name_does_not_end_inside_a_word_jieba_read_across_it(nlp: Language) -> None:
    assert labelled(nlp, "上海大学生就业率提高") == {"上海": "PROVINCE"}  # 上海|大学生
    assert labelled(nlp, "北京大学生命科学学院") == {"北京大学": "ORG"}  # 北京大学|生命


def test_generic_words_never_fire(nlp: Language) -> None:
    assert ents(nlp, "国产芯片、AI芯片和GPU处理器的半导体公司") == []


def test_short_names_count_only_as_whole_words(ruler: KnowledgeRuler) -> None:
    # 华为 is a word in 华为手机 but not when jieba reads 华为 inside a longer word.
    assert [m[2] for m in ruler.match("华为手机", {0, 2, 4})] == ["company/huawei"]
    assert ruler.match("华为手机", {0, 4}) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("北京市场需求", {"北京": "PROVINCE"}),
        ("各地公安部门", {}),
        ("民主党派人士", {}),
        ("中央社会治安", {}),
    ],
)
def test_suffixed_names_do_not_fire_inside_longer_words(
    nlp: Language, text: str, expected: dict[str, str]
) -> None:
    assert labelled(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "chip"),
    [
        ("輝達H30晶片", ("H30", "CHIP", "chip/H30")),
        ("英伟达的B40", ("B40", "CHIP", "chip/nvidia-b40")),
        ("華為昇騰910E晶片", ("昇腾910E", "CHIP", "chip/昇腾910E")),
        ("昇腾910D", ("昇腾910D", "CHIP", "chip/huawei-ascend-910d")),
        ("华为麒麟9100芯片", ("麒麟9100", "CHIP", "chip/麒麟9100")),
        ("超微MI400X加速器", ("MI400X", "CHIP", "chip/MI400X")),
    ],
)
def test_chip_grammar_reads_model_numbers_after_a_maker_or_series(
    nlp: Language, text: str, chip: tuple[str, str, str]
) -> None:
    assert chip in ents(nlp, text)


@pytest.mark.parametrize(
    "text", ["型号A1的产品", "第H2季度", "2025Q3营收", "英伟达FY2026财报", "央行公布M2同比增长8%"]
)
def test_chip_grammar_ignores_arbitrary_codes(nlp: Language, text: str) -> None:
    assert [ent for ent in ents(nlp, text) if ent[1] == "CHIP"] == []


def test_short_model_numbers_need_a_chip_context(nlp: Language) -> None:
    assert ("M5", "CHIP", "chip/apple-m5") in ents(nlp, "苹果M5芯片性能提升")
    assert [ent for ent in ents(nlp, "宝马M5售价上调") if ent[1] == "CHIP"] == []


@pytest.mark.parametrize(
    ("text", "official"),
    [
        ("美國總統川普表示", ("川普", "person/donald-trump")),
        ("輝達執行長黃仁勳說", ("黄仁勋", "person/jensen-huang")),
        ("商務部長盧特尼克指出", ("卢特尼克", "person/howard-lutnick")),
        ("美国商务部长卢特尼克表示", ("卢特尼克", "person/howard-lutnick")),
        ("發言人毛寧表示", ("毛宁", "person/mao-ning")),
        ("李强总理出席会议", ("李强", "person/li-qiang")),
        ("國務院副總理何立峰會見", ("何立峰", "person/he-lifeng")),
        ("法國總統馬克宏訪華", ("马克宏", "person/emmanuel-macron")),
        ("菲律宾外长卡里尼奥称", ("卡里尼奥", "")),  # a name no list knows
        ("新任财长王小明表示", ("王小明", "")),
        ("國會議長普安已宣布", ("普安", "")),  # a name, not the county in Guizhou
        ("港鐵行政總裁金澤培表示", ("金泽培", "")),  # a name, not 金泽 in Japan
        ("桃園地檢署主任檢察官蕭宇辰表示", ("萧宇辰", "")),
        ("民進黨已徵召立委陳素月參選", ("陈素月", "")),  # 月 is frequent only in dates
        ("董事總經理郭基煇在記者會上表示", ("郭基𪸩", "")),  # 煇 becomes a character past U+FFFF
        ("農業部長安妮·熱納瓦爾則承諾", ("安妮·热纳瓦尔", "")),  # 热 after the dot
        ("能源部長巴赫拉姆表示", ("巴赫拉姆", "")),  # not 巴赫 of the IOC inside it
        ("韩国外交部长官赵显举行会谈", ("赵显", "person/cho-hyun")),  # Korea's ministers: 长官
        ("考評局秘書長蘇國生日前表示", ("苏国生", "")),  # not 苏国 before 生日
        ("内乱特检赵垠奭表示", ("赵垠奭", "")),  # a special prosecutor
        ("国民力量党议员秋庆镐表示", ("秋庆镐", "")),  # a Korean surname
        ("美团首席执行官王莆中表示", ("王莆中", "")),  # not 王莆 before 中表示
        ("台灣駐菲律賓代表周民淦說", ("周民淦", "")),  # Taiwan's representative abroad
        ("宏昇公司負責人林振堂致歉", ("林振堂", "")),  # the head of a company
        ("自由党领袖苏珊·莱表示", ("苏珊·莱", "")),  # a party's leader
        ("保守黨國會議員區澤光表示", ("区泽光", "")),  # a Cantonese surname
        ("原民會主委曾智勇16日走訪尖石鄉", ("曾智勇", "")),  # 曾, an adverb too, before 智勇
        ("頭城區漁會理事長簡春輝說", ("简春辉", "")),  # an association's chair
        ("大学校长简春辉表示", ("简春辉", "")),
        ("五金有限公司东主许文龙表示", ("许文龙", "")),  # a shop's owner
        ("玛嘉烈医院行政总监李志雄承认", ("李志雄", "")),  # a hospital's head
        ("材料供应商代表理事朴成浩表示", ("朴成浩", "")),  # a Korean company's head
    ],
)
def test_title_grammar_finds_officials(nlp: Language, text: str, official: tuple[str, str]) -> None:
    name, entity_id = official
    assert (name, "OFFICIAL", entity_id) in ents(nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        "美国总统大选在即",
        "部长会议召开",
        "发言人表示反对",
        "市长选举结果",
        "对总统和夫人表示欢迎",
        "菲律宾兼具主席國與南海声索国身份",
        "接過明年的輪值主席國職務",
        "贪污行为损害业主权益",  # 业|主权|益: the role 业主 ends inside a word
        "国家领导人周四会晤",  # a word of time after a title
        "案件的律师费已多年未检讨",  # 律师|费|已: a surname character and an adverb
        "改建酒店为学生宿舍",  # a word that starts with a surname character after a role
        "400余名员工何去何从",  # an idiom that starts with a surname character
        "两国领导人高度重视的工程",  # an idiom, however rare
        "敞开收购农民余粮",
        "南韩旅客明显增加",  # jieba's 明显增: a word that starts with an adjective
        "这位主委曾任立委",  # 曾任: the adverb, once
        "警方说许嫌三年前曾因诈欺遭起诉",  # the suspect Xu: no full name
        "律师说陈氏家族拥有该楼",  # the Chan family: no full name
    ],
)
def test_titles_followed_by_no_name_make_no_person(nlp: Language, text: str) -> None:
    assert [ent for ent in ents(nlp, text) if ent[1] in ("PERSON", "OFFICIAL")] == []


def test_a_role_read_across_a_word_is_no_role(nlp: Language) -> None:
    assert labelled(nlp, "有发展商人士坦言，目标难达") == {}  # 发展商|人士, not 商人 士坦言
    assert labelled(nlp, "东河乡果农林美玉说") == {"东河乡": "GPE", "林美玉": "PERSON"}  # 农林


def test_a_name_with_a_dictionary_word_in_it_is_still_a_name(nlp: Language) -> None:
    assert labelled(nlp, "分析師許家銘指出") == {"许家铭": "PERSON"}  # 许家 is a word


def test_a_known_official_right_after_a_role_is_a_namesake(nlp: Language) -> None:
    # 陈冠廷 is a legislator in the knowledge; a fund manager of that name holds no office
    assert ("陈冠廷", "PERSON", "") in ents(nlp, "元大投信基金經理人陳冠廷分析")
    assert labelled(nlp, "民進黨立委陳冠廷表示").get("陈冠廷") == "OFFICIAL"


def test_a_namesake_is_the_namesake_at_every_mention(nlp: Language) -> None:
    found = ents(nlp, "警方逮捕主嫌陳冠廷等28人，檢方向法院聲押陳冠廷等6人獲准")
    assert [(name, label, kb) for name, label, kb in found if name == "陈冠廷"] == [
        ("陈冠廷", "PERSON", ""),
        ("陈冠廷", "PERSON", ""),
    ]


def test_an_office_candidate_is_the_known_official(nlp: Language) -> None:
    # 候选人 is a role, but after an office (国务总理|候选人) it names the known person
    assert labelled(nlp, "国会表决国务总理候选人金民锡的任命同意案").get("金民锡") == "OFFICIAL"


def test_a_role_read_across_a_known_name_finds_no_person(nlp: Language) -> None:
    # 恒基兆|业主|席: the role 业主 overlaps the company; 席李家 is no person
    assert labelled(nlp, "恒基兆業主席李家誠表示") == {"恒基兆业": "COMPANY", "李家诚": "OFFICIAL"}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("大阪府知事吉村洋文表示", "吉村洋文"),
        ("公明黨黨首齋藤鐵夫以此為由退出", "斋藤铁夫"),
        ("愛知縣知事大村秀章也呼籲", "大村秀章"),  # 也 after the name
        ("日經中文網記者 中村拓也 東京報道", "中村拓也"),  # 也 in the name
    ],
)
def test_japanese_names_are_read_with_their_given_names(
    nlp: Language, text: str, name: str
) -> None:
    assert name in {found for found, label, _ in ents(nlp, text) if label in ("PERSON", "OFFICIAL")}


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("深圳市工業和信息化局表示", "org/深圳市工业和信息化局"),  # the model cuts it at 和
        ("江蘇省委書記調研，省商務廳負責人陪同", "org/江苏省商务厅"),  # 省: the one named
        (
            "北京市长说，北京市将扩大消费，廊坊也参与。市商务局介绍",
            "org/北京市商务局",
        ),  # most named
        ("省發展改革委主任表示", "org/省发展改革委"),  # no province named: the bare level
        ("新竹縣政府稅務局查獲逃稅", "org/新竹县政府税务局"),  # not the known 新竹县政府
        ("河南省委書記說，省人民政府將", "org/河南省人民政府"),
        ("中國駐德國大使館發言人表示", "org/中国驻德国大使馆"),
        ("台南市消防局共受理", "org/台南市消防局"),
        ("上海海关已在进博会现场", "org/上海海关"),
        ("社團在萬錦市政府舉行記者會", "org/万锦市政府"),  # a city's government: a body
        ("熊本縣政府與台積電簽約", "org/熊本县政府"),
        ("多倫多市議會通過動議", "org/多伦多市议会"),
        ("經台中地檢署檢察官指揮", "org/台中地检署"),  # a place's prosecutors office
        ("上海市税务局浦东分局表示", "org/浦东分局"),  # a known place's branch
        ("彰化縣政府農業處指出", "org/彰化县政府农业处"),  # a county's office (处)
        ("高雄市前鎮區公所表示", "org/前镇区公所"),  # a district's office
        ("檢察官指揮三重分局員警搜索", "org/三重分局"),  # 三重区's police, the bare name
        ("朝阳分局通报", "org/朝阳分局"),  # 朝阳区's
    ],
)
def test_departments_are_read_from_a_place_and_a_function(
    nlp: Language, text: str, body: str
) -> None:
    assert body in {identifier for _, label, identifier in ents(nlp, text) if label == "ORG"}


def test_a_branch_needs_a_place_before_it(nlp: Language) -> None:
    found = [name for name, _, _ in ents(nlp, "该分局表示，会同三个分局调查")]
    assert not [name for name in found if "分局" in name]


@pytest.mark.parametrize("country", ["美国", "英国", "日本"])  # jieba has 英国政府 as a word
def test_a_country_government_is_the_country(nlp: Language, country: str) -> None:
    found = {(name, label) for name, label, _ in ents(nlp, f"{country}政府表示关注")}
    assert found == {(country, "GPE")}


def test_a_name_ends_before_a_preposition(nlp: Language) -> None:
    assert labelled(nlp, "峻宝主席冯锦鸿在公告中表示").get("冯锦鸿") == "OFFICIAL"


def test_a_transliterated_name_ends_where_a_common_word_begins(nlp: Language) -> None:
    assert labelled(nlp, "匈牙利總理奧爾班多次表示").get("奥尔班") == "OFFICIAL"


@pytest.mark.parametrize("text", ["共和黨籍眾議員穆勒納爾", "民主党员和议员", "工党人士批评"])
def test_a_party_is_found_in_the_word_for_its_members(nlp: Language, text: str) -> None:
    assert [label for _, label, _ in ents(nlp, text)][:1] == ["ORG"]


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("秘魯外交部發言人表示", "org/秘鲁外交部"),  # the list's bare 外交部 is China's
        ("越南外交部發言人表示", "org/vn-mofa"),  # the list knows Vietnam's
        ("中國外交部發言人表示", "org/cn-mfa"),
    ],
)
def test_a_body_after_a_country_is_that_country_s(nlp: Language, text: str, body: str) -> None:
    assert [identifier for _, label, identifier in ents(nlp, text) if label == "ORG"] == [body]


def test_the_name_after_a_title_and_an_honorific_is_the_official(nlp: Language) -> None:
    found = ents(nlp, "總會長丹斯里吳添泉接受訪問")
    assert [(name, label) for name, label, _ in found if label in ("PERSON", "OFFICIAL")] == [
        ("吴添泉", "OFFICIAL")
    ]


def test_every_name_of_a_byline_is_a_reporter(nlp: Language) -> None:
    found = ents(nlp, "聯合報／記者周佩蓉、洪宜君／台北報導")
    assert [(name, label) for name, label, _ in found if label == "PERSON"] == [
        ("周佩蓉", "PERSON"),
        ("洪宜君", "PERSON"),  # not the county 宜君
    ]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("文｜财新 周嘉怡 刘湘\n\n云南化债一年", ["周嘉怡", "刘湘"]),  # after their outlet
        ("报道：邱美仪\n\n槟城首席部长说", ["邱美仪"]),  # as Malaysian papers end a story
        ("本报记者  田晓燕  王家明\n\n清晨6点", ["田晓燕", "王家明"]),  # two spaces between
        ("第一财经 作者：钱晓岚 刘启航\n\n合肥的公司", ["钱晓岚", "刘启航"]),
    ],
)
def test_bylines_name_reporters(nlp: Language, text: str, names: list[str]) -> None:
    assert [name for name, label, _ in ents(nlp, text) if label == "PERSON"] == names


@pytest.mark.parametrize(
    ("text", "village"),
    [("火警發生在台南市永康區王行里一處工廠", "王行里"), ("彰化縣芳苑鄉新寶村的蛋農說", "新宝村")],
)
def test_a_village_after_its_district_or_township_is_a_place(
    nlp: Language, text: str, village: str
) -> None:
    assert (village, "GPE", f"place/{village}") in ents(nlp, text)


@pytest.mark.parametrize("text", ["该区农村地区与镇内村民", "扩大到苓雅区部分里别"])
def test_a_village_is_no_common_word(nlp: Language, text: str) -> None:
    assert [name for name, _, _ in ents(nlp, text) if name.endswith(("里", "村"))] == []


def test_a_place_and_city_investment_is_a_company(nlp: Language) -> None:
    found = {(name, label) for name, label, _ in ents(nlp, "昆明城投也在化债，昆明城投债利差收窄")}
    assert ("昆明城投", "COMPANY") in found


def test_a_bare_city_council_names_no_body(nlp: Language) -> None:
    assert ents(nlp, "北京举行峰会。市议会通过动议") == [("北京", "PROVINCE", "place/cn-11")]


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("蔚來在合肥經濟技術開發區建廠", "合肥经济技术开发区"),
        ("理想落戶常州武進國家高新技術產業開發區", "武进国家高新技术产业开发区"),
        ("走进宜宾市三江新区的电池工厂", "三江新区"),  # a new area: 三江 alone is another place
    ],
)
def test_development_zones_after_a_place_are_places(nlp: Language, text: str, zone: str) -> None:
    assert (zone, "GPE", f"place/{zone}") in ents(nlp, text)


def test_a_district_name_cities_share_is_the_one_of_the_city_the_text_names(
    nlp: Language,
) -> None:
    assert ("南山区", "GPE", "place/cn-440305") in ents(nlp, "深圳的巴士在南山区设站")
    both = ents(nlp, "南京与福州都有鼓楼区")  # two cities of a 鼓楼区: neither is meant
    assert [ent for ent in both if ent[0] == "鼓楼区"] == []
    # right after its city, without its level
    assert ("南沙", "GPE", "place/cn-440115") in ents(nlp, "以佛山为总部，广州南沙也有基地")


def test_a_region_whose_name_starts_with_its_country_s_is_one_place(nlp: Language) -> None:
    found = ents(nlp, "根据法兰西岛大区的数据")
    assert [(name, label) for name, label, _ in found] == [("法兰西岛大区", "PROVINCE")]


def test_a_bare_city_after_county_names_no_city(nlp: Language, ruler: KnowledgeRuler) -> None:
    doc = ruler(nlp.make_doc("内政部要求各县市警察局清查人头账户"))  # counties and cities
    assert [ent.text for ent in doc.ents] == ["内政部"]


def test_a_place_that_names_a_road_is_no_mention_of_the_place(nlp: Language) -> None:
    assert labelled(nlp, "巴士经屯门公路前往深圳") == {"深圳": "GPE"}


def test_a_township_after_its_county_is_a_place_and_so_is_its_village(nlp: Language) -> None:
    found = ents(nlp, "走进从江县岜沙乡加车村，也到了从江县城乡结合部")  # 岜沙乡: in no list
    assert ("岜沙乡", "GPE", "place/岜沙乡") in found
    assert ("加车村", "GPE", "place/加车村") in found
    assert not [ent for ent in found if ent[0].startswith("城乡")]  # urban and rural: a word


def test_a_hong_kong_districts_office_and_police_district_are_bodies(nlp: Language) -> None:
    found = labelled(nlp, "屯門民政事務處開設臨時庇護中心，屯門警區人員封鎖現場，元朗鄉事委員會說")
    assert found == {"屯门民政事务处": "ORG", "屯门警区": "ORG", "元朗乡事委员会": "ORG"}


def test_a_town_after_its_city_is_a_place_when_jieba_knows_it_as_one(nlp: Language) -> None:
    assert ("长安镇", "GPE", "place/长安镇") in ents(nlp, "在东莞长安镇经营了21年")
    assert labelled(nlp, "香港新市镇发展") == {"香港": "PROVINCE"}  # new towns: no name


def test_a_place_found_by_its_parent_is_that_place_where_it_is_named_again(
    nlp: Language,
) -> None:
    found = ents(nlp, "走进从江县岜沙乡。岜沙乡的梯田从山脚铺到云端")
    assert [ent for ent in found if ent[0] == "岜沙乡"] == [("岜沙乡", "GPE", "place/岜沙乡")] * 2


def test_a_mainland_town_is_known_by_its_full_name(nlp: Language) -> None:
    assert ("榆垡镇", "GPE", "place/cn-110115-榆垡镇") in ents(nlp, "机场附近的礼贤镇、榆垡镇")


def test_a_town_written_after_its_district_is_two_places(nlp: Language) -> None:
    # 潞城镇 is also a town of Shanxi's 陵川县: the lists name it 通州区潞城镇
    found = labelled(nlp, "新院区位于通州区潞城镇")
    assert found == {"通州区": "GPE", "潞城镇": "GPE"}


def test_a_byline_word_inside_a_longer_word_starts_no_name(nlp: Language) -> None:
    assert "师张伟" not in labelled(nlp, "从事航拍工作的摄影师张伟明也对记者说")  # 摄影师: no 摄影


def test_a_partial_name_after_a_title_is_no_official(nlp: Language) -> None:
    assert "何先生" not in labelled(nlp, "茶餐厅东主何先生说，演唱会散场后")


def test_a_word_of_time_after_a_role_starts_no_name(nlp: Language) -> None:
    assert "PERSON" not in labelled(nlp, "首批80名学生明年暑假进厂实习").values()  # 明: a surname


def test_a_town_starts_no_name_inside_a_word(nlp: Language) -> None:
    assert "分乡镇" not in labelled(nlp, "部分乡镇至今仍未收到款项")  # 部分|乡镇: some townships
    assert labelled(nlp, "宜昌市夷陵区分乡镇的茶园").get("分乡镇") == "GPE"


def test_a_town_whose_name_other_counties_share_needs_its_county_in_the_text(
    nlp: Language,
) -> None:
    town = ("清源街道", "GPE", "place/cn-110115-清源街道")  # Beijing's Daxing; also 泉州, 正阳
    assert town in ents(nlp, "北京市大兴区的助餐点，清源街道的老人")
    assert "清源街道" not in labelled(nlp, "清源街道的老人")


def test_the_body_inside_a_title_is_the_office_holders(nlp: Language) -> None:
    # 商务部长 is the title of whichever country: here the US department, not China's ministry.
    found = ents(nlp, "商務部長盧特尼克指出")
    assert [ent for ent in found if ent[1] == "ORG"] == [("商务部", "ORG", "org/us-doc")]


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("交通部長陳世凱表示", ("交通部", "org/tw-motc")),  # one jieba word 交通部长
        ("房屋局長何永賢說", ("房屋局", "org/hk-hb")),  # 房屋|局长
        ("發展局局長甯漢豪表示", ("发展局", "org/hk-devb")),  # 发展|局局长
        ("美國交通部長達菲說", ("美国交通部", "org/us-dot")),  # 美国|交通部长
    ],
)
def test_a_body_written_into_a_title_is_an_organization(
    nlp: Language, text: str, body: tuple[str, str]
) -> None:
    assert [(name, id_) for name, label, id_ in ents(nlp, text) if label == "ORG"] == [body]


@pytest.mark.parametrize(
    "text",
    [
        "法國外交部長巴羅說",  # France's ministry, which the lists do not know: not China's 外交部
        "經濟部長埃里克·隆巴爾說",  # a foreign minister no list knows: not Taiwan's 经济部
        "匈牙利外交與對外經濟部長西雅爾多說",  # the end of a longer name: not Taiwan's 经济部
    ],
)
def test_no_body_is_read_from_a_title_after_a_place_or_a_longer_name(
    nlp: Language, text: str
) -> None:
    assert [ent for ent in ents(nlp, text) if ent[1] == "ORG"] == []


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("第一上海首席策略師葉尚志認為", "叶尚志"),  # not the county 尚志
        ("研究學者孫浩然表示", "孙浩然"),
        ("氣象署預報員劉沛滕說", "刘沛滕"),
        ("史丹佛大學法學院教授馬克·萊姆利指出", "马克·莱姆利"),
        ("史丹佛大學法學院教授馬克·萊姆利對BBC說", "马克·莱姆利"),
        ("警方逮捕主嫌林冠廷、黃柏翰等23人", "林冠廷"),
        ("老闆周德明說，店裡的菌子", "周德明"),  # not 周德 before the rare word 明说
        ("兄弟靠著游擊手江坤宇擊出安打", "江坤宇"),  # a player's position
    ],
)
def test_a_name_after_a_word_for_a_person_without_office_is_a_person(
    nlp: Language, text: str, person: str
) -> None:
    assert labelled(nlp, text).get(person) == "PERSON"


@pytest.mark.parametrize(
    "text", ["民眾陳小姐表示", "一名劉姓居民說", "分析師表示", "民眾應嚴防強風"]
)
def test_a_word_for_a_person_before_no_full_name_makes_no_person(nlp: Language, text: str) -> None:
    assert "PERSON" not in labelled(nlp, text).values()


def test_a_name_ends_before_the_conjunction_after_it(nlp: Language) -> None:
    assert labelled(nlp, "參議員喬希·霍利則表示").get("乔希·霍利") == "OFFICIAL"


def test_the_ruler_round_trips_through_disk(ruler: KnowledgeRuler, tmp_path: Path) -> None:
    ruler.to_disk(tmp_path)
    loaded = KnowledgeRuler(ruler.nlp).from_disk(tmp_path)
    text = "輝達H20與華為昇騰910C"
    assert loaded.match(text) == ruler.match(text)
    assert read_alias_table(tmp_path / "alias_table.txt") is not None


def test_the_ruler_loads_the_same_from_the_cache(
    ruler: KnowledgeRuler, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    ruler.to_disk(tmp_path / "saved")
    from_files = KnowledgeRuler(ruler.nlp).from_disk(tmp_path / "saved")
    (saved,) = (tmp_path / "cache").glob("knowledge-*.pickle")
    written = saved.stat().st_mtime_ns
    (tmp_path / "saved").rename(tmp_path / "moved")  # the same files elsewhere
    from_cache = KnowledgeRuler(ruler.nlp).from_disk(tmp_path / "moved")
    assert saved.stat().st_mtime_ns == written  # read, not made again
    text = "輝達H20與華為昇騰910C，桃園市政府"
    assert from_cache.match(text) == from_files.match(text)
    assert from_cache.knowledge is not None
    assert from_cache.knowledge.path == tmp_path / "moved"


@pytest.mark.parametrize(
    ("text", "found", "name"),
    [
        ("议员何嘉俊则指", "何嘉俊则指", "何嘉俊"),  # a conjunction and a verb of saying
        ("副总统万斯同日表示", "万斯同", "万斯"),  # 同日: the same day
        ("大使肖千周三表示", "肖千周", "肖千"),  # 周三: Wednesday
        ("熊本县知事吉本孝寿坦言", "吉本孝寿坦", "吉本孝寿"),  # the model stopped inside 坦言
        ("校对 柳宝庆", "柳宝庆", "柳宝庆"),  # the end of the text ends nothing
        ("古斯塔沃赛后表示", "古斯塔沃赛后", "古斯塔沃"),  # a word of time
        ("秘书长毕丹星本月表示", "毕丹星本", "毕丹星"),  # 本月: this month
    ],
)
def test_a_name_ends_before_what_ends_no_name(text: str, found: str, name: str) -> None:
    start = text.index(found)
    assert text[start : trimmed_name_end(text, start, start + len(found))] == name


@pytest.mark.parametrize(
    ("text", "parliament"),
    [
        ("韩国总统李在明表示，共同民主党将在国会表决。首尔中央地方法院开庭。", "org/kr-assembly"),
        ("泰国总理佩通坦解散国会。泰国宪法法院裁定，曼谷民众。", "org/th-parliament"),
        ("韩国总统李在明表示，国会议员将在首尔开会，共同民主党。", None),  # 国会 inside a title
        ("立法院通過法案，民進黨團說國會改革，台北市政府。", None),  # Taiwan has no 国会 body
    ],
)
def test_a_bare_parliament_in_a_story_about_one_country_is_that_countrys(
    nlp: Language, text: str, parliament: str | None
) -> None:
    found = [kb_id for name, _, kb_id in ents(nlp, text) if name == "国会"]
    assert found == ([parliament] if parliament else [])


def test_a_bare_court_in_a_story_about_one_region_is_that_regions(nlp: Language) -> None:
    text = "律政司司長林定國表示，終審法院將加快審理。香港大律師公會和立法會歡迎。"
    assert ("终审法院", "ORG", "org/hk-cfa") in ents(nlp, text)


PHRASES = {"中国": "a", "中国人": "b", "国人": "c", "人民": "d", "𪸩": "e", "": "never"}
PHRASE_TEXT = "中国人民𪸩中国"


def test_phrases_report_every_match_by_end_the_longest_first_with_character_offsets() -> None:
    found = Phrases(PHRASES, overlapping=True).find(PHRASE_TEXT)
    assert found == [
        (0, 2, "a"), (0, 3, "b"), (1, 3, "c"), (2, 4, "d"), (4, 5, "e"), (5, 7, "a")
    ]  # fmt: skip


def test_phrases_without_overlaps_are_the_leftmost_longest_of_all_matches() -> None:
    every = Phrases(PHRASES, overlapping=True).find(PHRASE_TEXT)
    assert Phrases(PHRASES).find(PHRASE_TEXT) == non_overlapping(every)
    assert Phrases(PHRASES).find(PHRASE_TEXT)[0] == (0, 3, "b")


def test_a_vietnamese_womans_name_keeps_its_given_name_after_the_middle_name(
    nlp: Language,
) -> None:
    assert "阮氏秋香" in labelled(nlp, "河内交通运输大学教授阮氏秋香也认为，越南财政紧张")


def test_a_guessed_name_stops_before_a_word_of_time(nlp: Language) -> None:
    assert "张翔" in labelled(nlp, "香港大学校长张翔早前表示，港府支持")


def test_a_guessed_name_that_is_a_common_word_is_no_name(nlp: Language) -> None:
    assert "宿舍" not in labelled(nlp, "预计未来数年学生宿舍及教学空间不足")


def test_a_taiwan_legislator_in_full_is_an_official(nlp: Language) -> None:
    assert labelled(nlp, "民进党籍立法委员刘建国表示，他已要求检讨")["刘建国"] == "OFFICIAL"


def test_a_town_council_after_its_town_is_a_body(nlp: Language) -> None:
    found = labelled(nlp, "巴生市政厅与八打灵再也市政厅将清理沟渠")
    assert found["巴生市政厅"] == "ORG"
    assert found["八打灵再也市政厅"] == "ORG"


def test_rtx_before_a_card_number_is_a_geforce_card_not_raytheon(nlp: Language) -> None:
    found = labelled(nlp, "这款游戏在GeForce RTX 3060显卡上可流畅运行")
    assert found == {"GeForce RTX 3060": "CHIP"}
