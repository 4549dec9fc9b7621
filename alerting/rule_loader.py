"""Load and check rule files: every problem at once, each with file, line and key.

Reuses the inventory's line-tracking YAML reader, so ``noc alerts check-rules`` speaks like
``noc check``: ``alerting/rules/power.yaml:12: error: rules[ups_on_battery].for: ...``.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from pathlib import Path as FsPath

from jinja2 import TemplateSyntaxError

from alerting.rule_model import Rule, RuleFile, RuleSet
from alerting.templates import template_env
from alerting.yamlcheck import validate_yaml
from noc.errors import ConfigError
from noc.inventory.paths import key_text
from noc.inventory.problems import Path, Problem
from noc.inventory.yamlsource import read_yaml


def default_rule_files() -> list[FsPath]:
    """The rule files shipped in ``alerting/rules/``, by name."""
    folder = resources.files("alerting.rules")
    return sorted(
        (FsPath(str(item)) for item in folder.iterdir() if item.name.endswith(".yaml")),
        key=lambda p: p.name,
    )


def check_rule_text(text: str, file: str) -> tuple[list[Rule], list[Problem]]:
    parsed, src, problems = validate_yaml(text, file, RuleFile)
    if parsed is None:
        return [], problems
    for i, rule in enumerate(parsed.rules):
        for key, text_obj in (("summary", rule.summary), ("description", rule.description)):
            if text_obj is None:
                continue
            for lang in ("id", "en"):
                try:
                    template_env().parse(getattr(text_obj, lang))
                except TemplateSyntaxError as e:
                    path: Path = ("rules", i, key, lang)
                    where = key_text(src.data, path)
                    problems.append(Problem(file, src.line(path), where, f"template: {e.message}"))
    return parsed.rules, sorted(problems, key=lambda p: p.line)


def check_rule_files(files: Iterable[str | FsPath]) -> tuple[RuleSet, list[Problem]]:
    """Every rule of ``files`` and every problem found; a rule name used twice is a problem."""
    rules: list[Rule] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for f in files:
        path = FsPath(f)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as e:
            problems.append(Problem(str(f), 0, "", f"cannot read the file: {e.strerror}"))
            continue
        found, found_problems = check_rule_text(text, str(f))
        problems.extend(found_problems)
        src = read_yaml(text)
        for i, rule in enumerate(found):
            if rule.name in seen:
                line = src.line(("rules", i, "name"))
                problems.append(
                    Problem(
                        str(f),
                        line,
                        f"rules[{i}].name",
                        f"rule {rule.name!r} is already defined in {seen[rule.name]}",
                    )
                )
                continue
            seen[rule.name] = f"{f}:{src.line(('rules', i, 'name'))}"
            rules.append(rule)
    return RuleSet(rules=tuple(rules)), problems


def load_rules(files: Iterable[str | FsPath] | None = None) -> RuleSet:
    """The rule set of ``files`` (the shipped defaults when None); ConfigError on any problem."""
    ruleset, problems = check_rule_files(default_rule_files() if files is None else files)
    if problems:
        first = problems[0]
        more = f" and {len(problems) - 1} more" if len(problems) > 1 else ""
        raise ConfigError(
            f"{first}{more}", hint="run `noc alerts check-rules` to see every problem"
        )
    return ruleset
