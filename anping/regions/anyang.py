"""The region tree for Anyang: the country and province above it, the neighbouring cities whose
deputies are stationed here, Anyang's nine county-level units and a realistic set of townships.
Codes are the national administrative codes (townships: county code + three digits)."""

from django.db import transaction

from .models import Region

COUNTIES = {
    # code: (name, [townships and streets])
    "410502": (
        "文峰区",
        ["东大街街道", "西大街街道", "南关街道", "北大街街道", "头二三街道", "宝莲寺镇", "高庄镇"],
    ),
    "410503": (
        "北关区",
        ["豆腐营街道", "红旗路街道", "解放路街道", "灯塔路街道", "洹北街道", "柏庄镇"],
    ),
    "410505": (
        "殷都区",
        ["梅园庄街道", "李珍街道", "电厂路街道", "纱厂路街道", "水冶镇", "曲沟镇"],
    ),
    "410506": (
        "龙安区",
        ["田村街道", "文昌大道街道", "太行小区街道", "马家乡", "龙泉镇", "善应镇"],
    ),
    "410522": ("安阳县", ["白璧镇", "吕村镇", "崔家桥镇", "辛村镇", "韩陵镇", "瓦店乡"]),
    "410523": ("汤阴县", ["城关镇", "菜园镇", "任固镇", "五陵镇", "宜沟镇", "白营镇"]),
    "410526": ("滑县", ["道口镇", "城关镇", "白道口镇", "留固镇", "八里营镇", "万古镇"]),
    "410527": ("内黄县", ["城关镇", "东庄镇", "井店镇", "梁庄镇", "后河镇", "楚旺镇"]),
    "410581": (
        "林州市",
        [
            "开元街道",
            "振林街道",
            "桂园街道",
            "龙山街道",
            "黄华镇",
            "姚村镇",
            "河顺镇",
            "任村镇",
            "临淇镇",
            "横水镇",
        ],
    ),
}


@transaction.atomic
def load_anyang() -> Region:
    """Create (or complete) the tree; safe to run again. Returns the city."""

    def put(code: str, name: str, kind: str, parent: Region | None) -> Region:
        region, created = Region.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "parent": parent}
        )
        return region

    country = put("100000", "中国", Region.Kind.COUNTRY, None)
    henan = put("410000", "河南省", Region.Kind.PROVINCE, country)
    city = put("410500", "安阳市", Region.Kind.CITY, henan)
    put("410600", "鹤壁市", Region.Kind.CITY, henan)
    put("410900", "濮阳市", Region.Kind.CITY, henan)
    for code, (name, townships) in COUNTIES.items():
        county = put(code, name, Region.Kind.COUNTY, city)
        for i, township in enumerate(townships, start=1):
            put(f"{code}{i:03d}", township, Region.Kind.TOWNSHIP, county)
    return city
