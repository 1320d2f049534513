"""投诉处理: the role-play engine and the checks on its dialogue graph, the economics of resolving complaints, and
the crisis-stage checklists."""

from __future__ import annotations

import copy
import math

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlab import InputError
from crmlab.complaint_resolution import complaint_resolution_economics
from crmlab.complaint_roleplay import (
    PRINCIPLES,
    Ending,
    Node,
    Roleplay,
    best_total,
    build_dialogue,
    default_dialogue,
    load_dialogue,
    verdict_for,
)
from crmlab.crisis_stages import CRISIS_ACTIONS, CRISIS_DRILLS, CRISIS_MISTAKES, CRISIS_STAGES, score_crisis_stage
from crmlab.drills import VERDICT_RIGHT


@pytest.fixture(scope="module")
def raw(root):
    return yaml.safe_load((root / "crmlab" / "data" / "complaint_roleplay.yaml").read_text(encoding="utf-8"))


def _tiny() -> dict:
    """start → (a: +2 → good ending | b: −2 → mid) ; mid → (a: +1 → good | b: 0 → bad)."""
    return {"title": "小对话", "start": "s", "nodes": {
        "s": {"customer": "我要投诉！", "options": [
            {"key": "a", "text": "您请说。", "points": 2, "principles": ["listen"], "feedback": "好", "next": "good"},
            {"key": "b", "text": "不关我事。", "points": -2, "violates": ["no_argue"], "feedback": "差",
             "next": "mid"}]},
        "mid": {"customer": "什么态度！", "options": [
            {"key": "a", "text": "对不起。", "points": 1, "feedback": "补救", "next": "good"},
            {"key": "b", "text": "就这态度。", "points": 0, "feedback": "没用", "next": "bad"}]},
        "good": {"ending": "客户满意。", "outcome": "retained"},
        "bad": {"ending": "客户走了。", "outcome": "lost"},
    }}


# --- the default dialogue --------------------------------------------------------------------------------------

def test_default_dialogue_is_a_valid_graph(raw):
    d = default_dialogue()
    assert d.start == "open" and isinstance(d.nodes["open"], Node)
    assert set(d.nodes) | set(d.endings) == set(raw["nodes"])
    assert {e.outcome for e in d.endings.values()} == {"retained", "resolved", "lost"}
    for node in d.nodes.values():
        assert 2 <= len(node.options) <= 4
    # the five principles are all taught somewhere in the dialogue
    used = {p for n in d.nodes.values() for o in n.options for p in (*o.principles, *o.violates)}
    assert used == set(PRINCIPLES)


def test_best_path_scores_eight_and_is_excellent():
    # listen (+2) → empathise and record (+2) → concrete remedy (+2) → follow up (+2) = 8
    rp = Roleplay()
    node = rp.start()
    assert node.key == "open" and rp.best == 8 and rp.total == 0
    for key, expect_next in (("a", "detail"), ("a", "remedy"), ("a", "confirm")):
        step = rp.choose(key)
        assert step.points == 2 and step.next.key == expect_next and not step.finished
    step = rp.choose("a")
    assert step.finished and isinstance(step.next, Ending) and step.next.outcome == "retained"
    assert step.principles == ("follow_up",)
    res = rp.result()
    assert (res.total, res.best, res.share) == (8, 8, 1.0)
    assert res.verdict.startswith("优秀")
    assert [t.node for t in res.transcript] == ["open", "detail", "remedy", "confirm"]


def test_arguing_then_recovering_is_a_pass():
    # argue (−2) → apologise (+1) → empathise (+2) → remedy (+2) → follow up (+2) = 5 of 8 = 62.5 % → 合格
    rp = Roleplay()
    rp.start()
    first = rp.choose("b")
    assert first.points == -2 and "no_argue" in first.violates and first.next.key == "angry"
    for key in "aaaa":
        rp.choose(key)
    res = rp.result()
    assert res.total == 5 and res.share == pytest.approx(0.625) and res.verdict.startswith("合格")


def test_losing_the_customer_needs_improvement():
    # listen (+2) → record without empathy (0) → vague remedy (−1) → "3–5 working days" (−2) = −1 → lost
    rp = Roleplay()
    rp.start()
    for key in ("a", "c", "b", "b"):
        rp.choose(key)
    res = rp.result()
    assert res.ending.outcome == "lost" and res.total == -1
    assert res.share == pytest.approx(-1 / 8) and res.verdict.startswith("需要改进")


def test_refund_route_ends_resolved():
    # premature refund (+1) → listen to the real need (+2) → remedy (+2) → minimal close (0) = 5 → resolved
    rp = Roleplay()
    rp.start()
    for key in ("d", "a", "a", "b"):
        step = rp.choose(key)
    assert step.next.outcome == "resolved" and rp.total == 5


def test_verdict_bands():
    assert verdict_for(0.8).startswith("优秀") and verdict_for(0.79).startswith("合格")
    assert verdict_for(0.5).startswith("合格") and verdict_for(0.49).startswith("需要改进")
    assert verdict_for(-1.0).startswith("需要改进")


def test_engine_refuses_bad_moves():
    rp = Roleplay()
    with pytest.raises(InputError, match=r"请先调用 start\(\)"):
        rp.choose("a")
    rp.start()
    with pytest.raises(InputError, match=r"选项 option 必须是 a/b/c/d 之一（节点 open），收到 'e'"):
        rp.choose("e")
    with pytest.raises(InputError, match="对话尚未结束"):
        rp.result()
    for key in "aaaa":
        rp.choose(key)
    with pytest.raises(InputError, match="对话已经结束"):
        rp.choose("a")
    assert rp.start().key == "open" and rp.total == 0 and rp.transcript == ()      # restart clears the score


def test_tiny_dialogue_by_hand():
    d = build_dialogue(_tiny())
    assert best_total(d) == 2 and best_total(d, "mid") == 1
    rp = Roleplay(d)
    rp.start()
    rp.choose("b")
    rp.choose("a")
    assert rp.result().total == -1 and rp.result().ending.key == "good"


# --- graph validation ------------------------------------------------------------------------------------------

def _with(change) -> dict:
    data = copy.deepcopy(_tiny())
    change(data)
    return data


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["nodes"]["mid"]["options"][1].update(next="nowhere"),
     r"节点 node 'mid' 的选项 option 'b' 指向不存在的节点 next 'nowhere'"),
    (lambda d: d["nodes"]["mid"]["options"][1].update(next="s"), r"有循环 \(cycle\).*s → mid → s"),
    (lambda d: d["nodes"].update(orphan={"ending": "没人到这里。", "outcome": "lost"}),
     r"到达不了的节点 \(unreachable nodes\)：\['orphan'\]"),
    (lambda d: d.update(start="good"), r"起点 start 必须是一个有选项的节点，收到 'good'"),
    (lambda d: d["nodes"]["s"]["options"].pop(), r"节点 node 's' 的选项 options 必须有 2–4 个，收到 1"),
    (lambda d: d["nodes"]["s"]["options"][0].update(points=3), r"选项 option 'a' 的得分 points 必须是 -2 到 2"),
    (lambda d: d["nodes"]["s"]["options"][0].update(points=True), r"得分 points .*收到 True"),
    (lambda d: d["nodes"]["s"]["options"][0].update(principles=["smile"]), r"无法识别的原则 unknown principle 'smile'"),
    (lambda d: d["nodes"]["s"]["options"][1].update(key="a"), r"选项键 option key 重复 \(duplicate\)，收到 'a'"),
    (lambda d: d["nodes"]["good"].update(outcome="happy"), r"结局类型 outcome 必须是 .*'happy'"),
    (lambda d: d["nodes"]["s"].update(customer=""), r"节点 node 's' 的 customer 必须是非空文字"),
    (lambda d: d["nodes"]["s"]["options"][0].update(violates=["listen"]), r"既遵守又违反"),
])
def test_broken_graphs_are_refused_with_the_place_named(change, message):
    with pytest.raises(InputError, match=message):
        build_dialogue(_with(change))


def test_every_path_of_the_default_dialogue_ends():
    d = default_dialogue()
    paths = []

    def walk(key, seen):
        assert key not in seen                               # no node twice on a path
        if key in d.endings:
            paths.append([*seen, key])
            return
        for opt in d.nodes[key].options:
            walk(opt.next, [*seen, key])

    walk(d.start, [])
    assert len(paths) > 10 and all(p[-1] in d.endings for p in paths)
    reached = {k for p in paths for k in p}
    assert reached == set(d.nodes) | set(d.endings)        # nothing unreachable


def test_load_dialogue_reports_files(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: [unclosed", encoding="utf-8")
    with pytest.raises(InputError, match="bad.yaml 不是有效的 YAML"):
        load_dialogue(bad)
    with pytest.raises(InputError, match="无法读取"):
        load_dialogue(tmp_path / "missing.yaml")
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(_tiny(), allow_unicode=True), encoding="utf-8")
    assert load_dialogue(good).title == "小对话"


@settings(max_examples=60, deadline=None)
@given(points=st.one_of(st.integers(min_value=3, max_value=100), st.integers(max_value=-3, min_value=-100),
                        st.floats(allow_nan=True), st.text(max_size=3), st.none()))
def test_points_outside_the_range_are_refused(points):
    data = _with(lambda d: d["nodes"]["mid"]["options"][0].update(points=points))
    with pytest.raises(InputError, match=r"节点 node 'mid' 的选项 option 'a' 的得分 points"):
        build_dialogue(data)


@settings(max_examples=40, deadline=None)
@given(target=st.text(min_size=1, max_size=8).filter(lambda t: t.strip() not in {"s", "mid", "good", "bad", ""}))
def test_an_edge_to_a_missing_node_is_refused(target):
    data = _with(lambda d: d["nodes"]["s"]["options"][0].update(next=target))
    with pytest.raises(InputError, match="指向不存在的节点"):
        build_dialogue(data)


# --- economics of resolving complaints -------------------------------------------------------------------------

def test_complaint_resolution_by_hand():
    # 200 complaints, 90 % resolved = 180; stay 0.8 if resolved vs 0.3 if not → 180 × 0.5 = 90 customers kept;
    # each worth 1,500 元 → 135,000 元; cost 180 × 120 = 21,600 + 10,000 fixed → net 103,400; break-even 750 元
    res = complaint_resolution_economics(200, 120, 1500, 0.8, 0.3, resolved_share=0.9, fixed_cost=10_000)
    assert res.resolved == pytest.approx(180)
    assert res.extra_customers_kept == pytest.approx(90)
    assert res.value_kept == pytest.approx(135_000)
    assert res.resolution_cost == pytest.approx(21_600)
    assert res.net_value == pytest.approx(103_400)
    assert res.break_even_cost_per_complaint == pytest.approx(750)
    assert res.roi == pytest.approx(103_400 / 31_600)


def test_spending_the_break_even_amount_nets_zero():
    res = complaint_resolution_economics(50, 0, 800, 0.7, 0.2)
    at = complaint_resolution_economics(50, res.break_even_cost_per_complaint, 800, 0.7, 0.2)
    assert at.net_value == pytest.approx(0.0, abs=1e-9)
    assert math.isinf(complaint_resolution_economics(0, 0, 800, 0.7, 0.2).roi)


@pytest.mark.parametrize(("args", "message"), [
    ((-5, 100, 1000, 0.8, 0.3), r"投诉数 complaints 不能为负数.*-5"),
    ((10, 100, 1000, 1.5, 0.3), r"投诉解决后的留存概率 stay_if_resolved 必须在 0 和 1 之间.*1\.5"),
    ((10, 100, 1000, 0.8, "0.3"), r"投诉未解决的留存概率 stay_if_unresolved 必须是数字"),
    ((10, -1, 1000, 0.8, 0.3), r"每件投诉的处理成本 cost_per_resolution 不能为负数"),
])
def test_complaint_resolution_bad_inputs(args, message):
    with pytest.raises(InputError, match=message):
        complaint_resolution_economics(*args)


@settings(max_examples=60, deadline=None)
@given(share=st.one_of(st.floats(min_value=1.0000001, max_value=1e9), st.floats(max_value=-1e-12),
                       st.just(float("nan"))))
def test_resolved_share_outside_unit_interval_is_refused(share):
    with pytest.raises(InputError, match="resolved_share"):
        complaint_resolution_economics(10, 100, 1000, 0.8, 0.3, resolved_share=share)


# --- crisis stages ---------------------------------------------------------------------------------------------

def test_each_stage_has_its_checklist():
    assert list(CRISIS_STAGES) == ["before", "during", "after"]
    for stage, drill in CRISIS_DRILLS.items():
        assert set(drill.required) == {a.text for a in CRISIS_ACTIONS if a.stage == stage}
        assert set(drill.forbidden) == {a.text for a in CRISIS_MISTAKES if a.stage == stage}
        assert all(a.stage != stage for a in CRISIS_ACTIONS if a.text in drill.neutral)


def test_crisis_checklist_scores_by_the_documented_rule():
    during = CRISIS_DRILLS["during"]                 # 4 right actions → 25 points each
    full = score_crisis_stage("during", during.required)
    assert full.score == pytest.approx(100) and full.verdict == VERDICT_RIGHT
    # 3 right (75) and one mistake (−25) → 50; an action of another stage is neutral
    part = score_crisis_stage("during", [*during.required[:3], during.forbidden[0], during.neutral[0]])
    assert part.score == pytest.approx(50) and not part.correct
    assert any("不该选" in line for line in part.feedback)
    before = CRISIS_DRILLS["before"]                 # 3 right actions; 1 right + 2 mistakes → max(0, −1/3) = 0
    assert score_crisis_stage("before", [before.required[0], *before.forbidden]).score == 0.0
    assert score_crisis_stage("after", []).score == 0.0


@pytest.mark.parametrize(("stage", "chosen", "message"), [
    ("middle", [], r"危机阶段 stage 必须是 \['before', 'during', 'after'\] 之一，收到 'middle'"),
    ("before", ["召开庆功会"], r"不是本题的选项 \(unknown item\)：'召开庆功会'"),
    ("before", "监测", r"所选事项 chosen 必须是列表"),
])
def test_crisis_checklist_bad_answers(stage, chosen, message):
    with pytest.raises(InputError, match=message):
        score_crisis_stage(stage, chosen)


@settings(max_examples=60, deadline=None)
@given(stage=st.sampled_from(list(CRISIS_STAGES)), item=st.text(min_size=1, max_size=12))
def test_an_item_not_on_the_list_is_refused(stage, item):
    drill = CRISIS_DRILLS[stage]
    if item in drill.items:
        return
    with pytest.raises(InputError, match="unknown item"):
        score_crisis_stage(stage, [drill.required[0], item])
