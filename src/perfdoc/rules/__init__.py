"""Register the domain rules of ``perfdoc check`` in one explicit table.

Each rule is a module with ``ID`` (kebab-case), ``LEVEL`` (its default level),
``Options`` (a pydantic model of its options: their types, defaults and
documentation) and a generator ``check(doc, ctx)`` that yields
:class:`~perfdoc.rules.base.Finding` objects.  Its docstring shows a passing
and a failing example and is the rule's documentation.  Adding a rule means
writing a module and adding one line below.
"""

from __future__ import annotations

from perfdoc.rules import (
    budget_sum,
    code_format,
    cost_vs_budget,
    description_repeats_name,
    duplicate_indicator,
    duplicate_project,
    indicator_coverage,
    indicator_hierarchy,
    less_than_one,
    numbering,
    placeholder,
    quantified_value,
    satisfaction_threshold,
    spending_plan,
    stale_year,
    timeliness_value,
    unit_consistency,
    unknown_unit,
    vague_target,
    value_format,
)
from perfdoc.rules.base import Finding, Rule, RuleContext

#: Every rule, by id, in the order the README lists them.
RULES: dict[str, Rule] = {
    budget_sum.ID: budget_sum,
    spending_plan.ID: spending_plan,
    indicator_hierarchy.ID: indicator_hierarchy,
    indicator_coverage.ID: indicator_coverage,
    timeliness_value.ID: timeliness_value,
    cost_vs_budget.ID: cost_vs_budget,
    duplicate_indicator.ID: duplicate_indicator,
    value_format.ID: value_format,
    unknown_unit.ID: unknown_unit,
    satisfaction_threshold.ID: satisfaction_threshold,
    code_format.ID: code_format,
    quantified_value.ID: quantified_value,
    vague_target.ID: vague_target,
    description_repeats_name.ID: description_repeats_name,
    less_than_one.ID: less_than_one,
    duplicate_project.ID: duplicate_project,
    unit_consistency.ID: unit_consistency,
    numbering.ID: numbering,
    placeholder.ID: placeholder,
    stale_year.ID: stale_year,
}

__all__ = ["RULES", "Finding", "Rule", "RuleContext"]
