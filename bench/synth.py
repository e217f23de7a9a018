"""Synthetic perfdoc documents for the benchmark, and their markdown twins for pandoc.

Document *i* depends only on the seed and *i* (never on N), so the N=10
workspace is a prefix of the N=200 one and the batch sizes are comparable.
Texts are the example's own sentences (examples/sanjia_2024), shuffled and
re-combined, so paragraph lengths and character mix stay realistic.
Everything written here is valid for the default vocabulary and avoids the
faults the domain rules look for (budget 12月底 = 100%, 财政资金 = 预算数,
cost indicator within the budget, known units), so a build never stops at
`check`.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

# --------------------------------------------------------------------------- vocabulary

#: Places and unit kinds; their product gives far more than 200 distinct unit
#: names, so output file names never collide inside one batch.
PLACES = (
    "三家", "下板城", "岗子", "两家", "六沟", "头沟", "高寺台", "五道河", "孟家院", "甲山",
    "新杖子", "八家", "磴上", "仓子", "上谷", "大营子", "东小白旗", "刘杖子", "安匠", "满杖子",
    "岔沟", "石灰窑", "鞍匠", "三沟", "双峰寺", "大石庙", "上板城", "六道河", "两间房", "白马川",
)
UNIT_KINDS = (
    "镇人民政府", "镇中心小学", "镇卫生院", "镇农业综合服务中心", "镇综合文化站",
    "镇退役军人服务站", "镇社会事务办公室", "镇财政所",
)
COUNTY = "承德县"

#: (项目名称, ascii slug for the file name).  Forty-five entries so a document
#: with up to 40 projects never repeats a name.
PROJECT_NAMES = (
    ("执法工作经费", "zhifa"), ("驻村工作队综合经费", "zhucun"),
    ("农村人居环境整治经费", "renju"), ("森林草原防灭火专项经费", "fanghuo"),
    ("基层党组织建设经费", "dangjian"), ("退役军人服务站运转经费", "tuiyi"),
    ("村级组织运转经费", "cunji"), ("省级衔接推进乡村振兴补助资金", "xiangcun"),
    ("防返贫监测帮扶资金", "fanpin"), ("安全生产专项经费", "anquan"),
    ("综治维稳工作经费", "zongzhi"), ("社会救助工作经费", "jiuzhu"),
    ("农村公路养护资金", "gonglu"), ("河长制工作经费", "hezhang"),
    ("禁毒宣传工作经费", "jindu"), ("普法宣传经费", "pufa"),
    ("高龄老人津贴", "gaoling"), ("计划生育奖励扶助资金", "jisheng"),
    ("农业技术推广经费", "nongji"), ("动物防疫经费", "fangyi"),
    ("食品安全监管经费", "shipin"), ("应急管理工作经费", "yingji"),
    ("信访工作经费", "xinfang"), ("群众文化活动经费", "wenhua"),
    ("农村饮水安全维修养护资金", "yinshui"), ("高标准农田建设管护资金", "nongtian"),
    ("公益性岗位补贴", "gongyi"), ("学校公用经费", "gongyong"),
    ("校舍维修改造资金", "xiaoshe"), ("学生营养改善计划资金", "yingyang"),
    ("基本公共卫生服务补助资金", "gongwei"), ("家庭医生签约服务经费", "jiating"),
    ("村卫生室运行补助", "weishengshi"), ("农家书屋运营经费", "shuwu"),
    ("环卫保洁经费", "baojie"), ("垃圾清运经费", "laji"),
    ("路灯维护经费", "ludeng"), ("防汛抗旱经费", "fangxun"),
    ("秸秆禁烧工作经费", "jiegan"), ("统计调查经费", "tongji"),
    ("残疾人两项补贴", "canji"), ("农村危房改造补助资金", "weifang"),
    ("耕地地力保护补贴", "gengdi"), ("林业有害生物防治经费", "linye"),
    ("网格化管理工作经费", "wangge"),
)

FUNDS_USE = (
    "驻村工作组经费", "保障日常执法工作运转", "用于购置宣传材料、印制资料和组织培训",
    "用于设施维修养护和耗材购置", "按标准发放补助资金", "用于聘用人员劳务费和保险",
    "用于组织开展专项检查和应急演练",
)

PROJECT_GOALS = (
    "行政执法工作运转保障", "对驻村工作组进行经费保障", "按时足额发放补助资金，保障群众基本生活",
    "完成年度设施维修养护任务，保障设施正常运行", "开展宣传培训活动，提高群众知晓率",
    "落实上级部署的专项工作任务，按期完成年度目标", "改善基层工作条件，提高公共服务水平",
)

# (三级指标, 绩效指标描述, 指标值, 指标值确定依据) per 二级指标.  Values use
# only units the checks know; "{budget}" is filled with the project's 预算数.
Row = tuple[str, str, str, str]
INDICATOR_POOL: dict[tuple[str, str], tuple[Row, ...]] = {
    ("产出指标", "数量指标"): (
        ("开展帮扶活动次数", "开展帮扶活动次数", ">15 次", "报账单据"),
        ("受益工作队数量", "受益工作队数量", "3 个", "资金拨付单"),
        ("开展宣传活动场次", "反映宣传活动开展情况", "≥6 场", "计划标准"),
        ("培训人次", "反映组织培训的人次", "≥120 人次", "计划标准"),
        ("覆盖行政村数量", "反映项目覆盖的行政村数量", "=18 村", "计划标准"),
        ("补助发放户数", "反映补助资金发放的户数", "≥260 户", "历史标准"),
        ("维修养护里程", "反映道路维修养护里程", "≥35 公里", "计划标准"),
        ("专项检查次数", "反映开展专项检查的次数", "≥12 次", "计划标准"),
        ("设备购置数量", "反映购置设备的数量", "=8 台", "预算支出标准"),
    ),
    ("产出指标", "质量指标"): (
        ("经费使用合规率", "经费使用合规率", "100%", "内控考核"),
        ("政府采购应采率", "政府采购应采率", "100%", "内控考核"),
        ("经费支出准确率", "反映经费支出的准确情况", "≥95%", "内控考核"),
        ("工作队员后勤保障率", "工作队员后勤保障率", "100%", "调查问卷"),
        ("验收合格率", "反映项目验收合格情况", "≥98%", "行业标准"),
        ("补助发放准确率", "反映补助资金发放的准确程度", "100%", "历史标准"),
        ("设施完好率", "反映设施设备的完好情况", "≥95%", "行业标准"),
    ),
    ("产出指标", "时效指标"): (
        ("报账时间", "资金报账后拨付的时间", "≤7 工作日", "资金拨付单"),
        ("资金拨付时间", "反映资金按时拨付情况", "≤15 个工作日", "计划标准"),
        ("项目完成时间", "反映项目按期完成情况", "≤12 个月", "计划标准"),
        ("问题处置时限", "反映发现问题后的处置时间", "≤3 天", "行业标准"),
    ),
    ("产出指标", "成本指标"): (
        ("资金总成本", "资金总成本", "≤{budget} 万元", "预算支出标准"),
        ("项目预算控制数", "反映项目支出控制在预算以内", "≤{budget} 万元", "预算支出标准"),
    ),
    ("效益指标", "经济效益指标"): (
        ("资金使用率", "资金使用率", "≥95%", "资金拨付单"),
        ("带动群众增收", "反映项目带动群众增收情况", "≥500 元/人", "调查问卷"),
        ("节约运行成本", "反映项目节约的运行成本", "≥5%", "历史标准"),
    ),
    ("效益指标", "社会效益指标"): (
        ("促进帮扶群众收入提升", "促进帮扶群众收入提升", "≥5%", "调查问卷"),
        ("政策知晓率", "反映群众对政策的知晓程度", "≥90%", "调查问卷"),
        ("矛盾纠纷化解率", "反映矛盾纠纷化解情况", "≥90%", "历史标准"),
        ("公共服务覆盖率", "反映公共服务覆盖的人群比例", "100%", "计划标准"),
        ("正常办公条件保障情况", "反映正常办公条件保障情况", "维护机关正常运行秩序", "内控考核"),
    ),
    ("效益指标", "生态效益指标"): (
        ("提升村庄清洁度", "提升村庄清洁度", "有效提升", "调查问卷"),
        ("使用节能减排产品", "反映使用产品的节能减排情况", "持续使用", "内控考核"),
        ("森林覆盖率", "反映辖区森林覆盖情况", "≥60%", "行业标准"),
        ("垃圾无害化处理率", "反映生活垃圾无害化处理情况", "≥95%", "行业标准"),
    ),
    ("效益指标", "可持续影响指标"): (
        ("帮扶成果长期性", "帮扶成果长期性", "≥3 年", "调查问卷"),
        ("设施持续使用年限", "反映设施可持续使用年限", "≥5 年", "行业标准"),
        ("长效管护机制建立", "反映长效管护机制建立情况", "持续使用", "其他标准"),
    ),
    ("满意度指标", "服务对象满意度指标"): (
        ("群众满意度", "群众满意度", "≥95%", "调查问卷"),
        ("服务对象满意率", "反映服务对象对项目实施的满意程度", "≥90%", "调查问卷"),
        ("机关工作人员满意率", "反映机关工作人员满意率", "≥90%", "内控考核"),
    ),
}

#: Groups in print order; a project lists 产出, then 效益, then 满意度.
OUTPUT_KINDS = ("数量指标", "质量指标", "时效指标", "成本指标")
BENEFIT_KINDS = ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标")

#: Two goals beyond the example's four, so a document can have five distinct ones.
EXTRA_GOALS: tuple[dict[str, str], ...] = (
    {
        "title": "改善人居环境，建设美丽乡村",
        "goal": "持续开展农村人居环境整治，推进垃圾、污水治理和村容村貌提升，完善长效管护机制。"
                "加强河道巡查和森林资源保护，落实秸秆禁烧和散煤治理措施，改善镇域生态环境质量。"
                "统筹推进农村公路养护和饮水安全工程维修养护，保障群众生产生活条件稳步改善。",
        "indicators": "农村生活垃圾收运处置体系覆盖率100%；河道巡查次数每月不少于4次；"
                      "农村公路优良路率≥80%；农村集中供水率≥95%；群众对人居环境满意度≥90%。",
    },
    {
        "title": "加强安全生产，提升应急能力",
        "goal": "落实安全生产属地管理责任，健全隐患排查治理和风险分级管控机制，"
                "开展安全生产专项检查。"
                "完善应急预案体系，组织开展防汛、森林防火等应急演练，提高突发事件处置能力，"
                "保障人民群众生命财产安全。",
        "indicators": "全年开展安全生产专项检查不少于12次；重大安全生产事故发生数0起；"
                      "隐患整改率100%；应急演练不少于2次；防汛物资储备到位率100%。",
    },
)


def _example(folder: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    doc = yaml.safe_load((folder / "document.yaml").read_text(encoding="utf-8"))
    goals = yaml.safe_load((folder / "goals.yaml").read_text(encoding="utf-8"))
    return doc, goals


def _shuffle_sentences(rng: random.Random, text: str) -> str:
    """Return *text* with its sentences reordered: same length, different document."""
    parts = [p for p in re.split(r"(?<=[。；])", text) if p]
    if len(parts) > 2:
        head, rest = parts[0], parts[1:]  # keep the opening sentence first
        rng.shuffle(rest)
        parts = [head, *rest]
    return "".join(parts)


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class Project:
    """One synthetic 绩效目标表."""

    slug: str
    name: str
    code: str
    total: Decimal
    use_of_funds: str | None
    goals: tuple[str, ...]
    indicators: tuple[Row, ...]
    levels: tuple[tuple[str, str], ...]  # (一级, 二级) per indicator row


@dataclass(frozen=True)
class SynthDoc:
    """One synthetic document, ready to be written as YAML or markdown."""

    index: int
    unit: str
    unit_code: str
    year: int
    overall_goal: str
    itemized_goals: tuple[dict[str, str], ...]
    measures: tuple[dict[str, str], ...]
    projects: tuple[Project, ...]

    @property
    def folder_name(self) -> str:
        return f"u{self.index:03d}"

    @property
    def indicator_count(self) -> int:
        return sum(len(p.indicators) for p in self.projects)


def project_count(rng: random.Random) -> int:
    """Draw a project count in 2–40, skewed small like real units (mean ≈ 10)."""
    r = rng.random()
    if r < 0.70:
        return rng.randint(2, 10)
    if r < 0.90:
        return rng.randint(11, 20)
    return rng.randint(21, 40)


def _indicators(rng: random.Random, budget: Decimal) -> tuple[list[Row], list[tuple[str, str]]]:
    """Draw 8–15 indicator rows with every 产出 二级 kind present, grouped for printing."""
    target = rng.randint(8, 15)
    # One of each 产出 kind, one 社会效益 and one 满意度 are the floor (6 rows);
    # the rest are extra 产出 (数量/质量) and 效益 rows, like the example.
    counts: dict[tuple[str, str], int] = {("产出指标", k): 1 for k in OUTPUT_KINDS}
    counts[("效益指标", "社会效益指标")] = 1
    counts[("满意度指标", "服务对象满意度指标")] = 1
    extra_choices = [
        ("产出指标", "数量指标"), ("产出指标", "质量指标"), ("产出指标", "数量指标"),
        ("产出指标", "质量指标"), *(("效益指标", k) for k in BENEFIT_KINDS),
    ]
    while sum(counts.values()) < target:
        key = rng.choice(extra_choices)
        if counts.get(key, 0) < len(INDICATOR_POOL[key]):
            counts[key] = counts.get(key, 0) + 1
    rows: list[Row] = []
    levels: list[tuple[str, str]] = []
    order = [("产出指标", k) for k in OUTPUT_KINDS] + [("效益指标", k) for k in BENEFIT_KINDS]
    order.append(("满意度指标", "服务对象满意度指标"))
    for key in order:
        for name, desc, value, basis in rng.sample(INDICATOR_POOL[key], counts.get(key, 0)):
            rows.append((name, desc, value.format(budget=f"{budget:.2f}"), basis))
            levels.append(key)
    return rows, levels


def make_document(index: int, *, seed: int, example: Path, year: int = 2024) -> SynthDoc:
    """Build document *index*; the result depends only on (seed, index)."""
    rng = random.Random(f"{seed}:{index}")
    doc, goals = _example(example)
    # Unit names: walk the (place, kind) product in a seed-fixed order so that
    # documents 0..N-1 are distinct for any N up to len(PLACES) * len(UNIT_KINDS).
    pairs = [(p, k) for k in UNIT_KINDS for p in PLACES]
    random.Random(seed).shuffle(pairs)
    place, kind = pairs[index % len(pairs)]
    unit = f"{COUNTY}{place}{kind}"
    n_projects = project_count(rng)
    projects: list[Project] = []
    for j, (name, slug) in enumerate(rng.sample(PROJECT_NAMES, n_projects), start=1):
        total = Decimal(rng.randint(100, 30000)) / 100  # 1.00–300.00 万元
        rows, levels = _indicators(rng, total)
        projects.append(Project(
            slug=f"{j:02d}-{slug}",
            name=f"{year}年{name}" if rng.random() < 0.4 else name,
            code=f"130821{year % 100:02d}P{rng.randint(0, 99999999):08d}{rng.randint(0, 999):03d}J",
            total=total,
            use_of_funds=rng.choice(FUNDS_USE) if rng.random() < 0.7 else None,
            goals=tuple(rng.sample(PROJECT_GOALS, rng.randint(1, 3))),
            indicators=tuple(rows),
            levels=tuple(levels),
        ))
    goal_pool = [dict(g) for g in goals["itemized_goals"]] + [dict(g) for g in EXTRA_GOALS]
    itemized = rng.sample(goal_pool, rng.randint(3, 5))
    for g in itemized:
        g["goal"] = _shuffle_sentences(rng, g["goal"])
    measures = [dict(m) for m in rng.sample(goals["measures"], rng.randint(3, 5))]
    for m in measures:
        m["body"] = _shuffle_sentences(rng, m["body"])
    return SynthDoc(
        index=index,
        unit=unit,
        unit_code=f"{912001 + index}",
        year=year,
        overall_goal=_shuffle_sentences(rng, str(doc["overall_goal"])),
        itemized_goals=tuple(itemized),
        measures=tuple(measures),
        projects=tuple(projects),
    )


# --------------------------------------------------------------------------- YAML


def _q(text: str) -> str:
    """Quote a scalar: a JSON string is a valid YAML double-quoted scalar."""
    return json.dumps(text, ensure_ascii=False)


def write_document(doc: SynthDoc, parent: Path) -> Path:
    """Write *doc* as a perfdoc document folder under *parent*; return the folder."""
    folder = parent / doc.folder_name
    (folder / "projects").mkdir(parents=True, exist_ok=True)
    # Hand-written YAML, laid out like the example (plain money scalars such as
    # `total: 6.19`, which perfdoc reads from their text as Decimal).
    (folder / "document.yaml").write_text(
        f"unit: {_q(doc.unit)}\n"
        f"year: {doc.year}\n"
        "cover:\n"
        "  title: 部门预算绩效文本\n"
        "  draft_marker: (草案)\n"
        f"  compiled_by: {_q(doc.unit + '编制')}\n"
        f"  reviewed_by: {_q(COUNTY + '财政局审核')}\n"
        "settings:\n"
        "  decimals: 2\n"
        "  profile: default\n"
        f"overall_goal: {_q(doc.overall_goal)}\n",
        encoding="utf-8",
    )
    lines = ["itemized_goals:"]
    for g in doc.itemized_goals:
        lines += [f"  - title: {_q(g['title'])}", f"    goal: {_q(g['goal'])}",
                  f"    indicators: {_q(g['indicators'])}"]
    lines.append("measures:")
    for m in doc.measures:
        lines += [f"  - lead: {_q(m['lead'])}", f"    body: {_q(m['body'])}"]
    (folder / "goals.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for p in doc.projects:
        out = [
            f"unit_code: {_q(doc.unit_code)}",
            f"unit_name: {_q(doc.unit + '本级')}",
            "money_unit: 万元",
            f"code: {p.code}",
            f"name: {_q(p.name)}",
            "budget:",
            f"  total: {p.total:.2f}",
            f"  fiscal: {p.total:.2f}",
            "  other:",
        ]
        if p.use_of_funds:
            out.append(f"use_of_funds: {_q(p.use_of_funds)}")
        out += ["funding_plan:", "  mar: 25", "  jun: 50", "  oct: 75", "  dec: 100", "goals:"]
        out += [f"  - {_q(g)}" for g in p.goals]
        out.append("indicators:")
        for (l1, l2), (name, desc, value, basis) in zip(p.levels, p.indicators, strict=True):
            out += [f"  - level1: {l1}", f"    level2: {l2}", f"    name: {_q(name)}",
                    f"    description: {_q(desc)}", f"    value: {_q(value)}",
                    f"    basis: {_q(basis)}"]
        (folder / "projects" / f"{p.slug}.yaml").write_text("\n".join(out) + "\n",
                                                            encoding="utf-8")
    return folder


# --------------------------------------------------------------------------- markdown (pandoc)


def _cell(text: object) -> str:
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")


def _money(value: object) -> str:
    # yaml.safe_load gives floats for money; fine for a baseline's text.
    return "" if value is None else f"{Decimal(str(value)):.2f}"


def markdown_for(folder: Path) -> str:
    """Render a document folder (synthetic or the real example) as pandoc markdown.

    The same content perfdoc prints: cover lines, 第一部分 with its headings and
    paragraphs, and per project the info rows and the indicator table as pipe
    tables.  Merged cells do not exist in markdown; that is the baseline's loss.
    """
    doc = yaml.safe_load((folder / "document.yaml").read_text(encoding="utf-8"))
    goals = yaml.safe_load((folder / "goals.yaml").read_text(encoding="utf-8"))
    cover = doc["cover"]
    md = [f"# {doc['unit']}", "", f"**{doc['year']}年{cover['title']}**", "",
          str(cover.get("draft_marker") or ""), "", str(cover["compiled_by"]), "",
          str(cover.get("reviewed_by") or ""), "", "# 第一部分 部门整体绩效目标", "",
          "## 一、总体绩效目标", "", str(doc["overall_goal"]), "", "## 二、分项绩效目标", ""]
    for i, g in enumerate(goals["itemized_goals"], start=1):
        md += [f"### {i}、{g['title']}", "", f"绩效目标：{g['goal']}", "",
               f"绩效指标：{g['indicators']}", ""]
    md += ["## 三、工作保障措施", ""]
    for i, m in enumerate(goals["measures"], start=1):
        md += [f"**{i}.{m['lead']}**{m['body']}", ""]
    md += ["# 第二部分 预算项目绩效目标", ""]
    for i, path in enumerate(sorted((folder / "projects").glob("*.yaml")), start=1):
        p = yaml.safe_load(path.read_text(encoding="utf-8"))
        b, fp = p["budget"], p["funding_plan"]
        md += [f"## {i}.{p['name']}绩效目标表", "",
               f"{p['unit_code']} {p['unit_name']}　　单位：{p.get('money_unit', '万元')}", "",
               "| 项目编码 | " + _cell(p["code"]) + " | 项目名称 | " + _cell(p["name"]) + " |",
               "|---|---|---|---|",
               f"| 预算数 | {_money(b.get('total'))} | "
               f"其中：财政资金 | {_money(b.get('fiscal'))} |",
               f"| 其他资金 | {_money(b.get('other'))} | 资金用途 | "
               f"{_cell(p.get('use_of_funds'))} |",
               "", "| 3月底 | 6月底 | 10月底 | 12月底 |", "|---|---|---|---|",
               f"| {fp['mar']}% | {fp['jun']}% | {fp['oct']}% | {fp['dec']}% |", "",
               "绩效目标：" + "；".join(f"{k}.{g}" for k, g in enumerate(p["goals"], start=1)), "",
               "| 一级指标 | 二级指标 | 三级指标 | 绩效指标描述 | 指标值 | 指标值确定依据 |",
               "|---|---|---|---|---|---|"]
        for ind in p["indicators"]:
            md.append("| " + " | ".join(_cell(ind.get(k)) for k in (
                "level1", "level2", "name", "description", "value", "basis")) + " |")
        md.append("")
    return "\n".join(md) + "\n"
