#!/usr/bin/env python3
"""Checks and runs mpauth's CI integration files, for tests/integrations (run from C++ tests).

  ci_files.py check-manifest .pre-commit-hooks.yaml
  ci_files.py check-action action.yml
  ci_files.py check-workflow integrations/github/mpauth.yml
  ci_files.py check-gitlab integrations/gitlab/mpauth.gitlab-ci.yml
  ci_files.py run-action action.yml WORKSPACE [name=value ...]
  ci_files.py run-gitlab-job mpauth.gitlab-ci.yml JOB WORKDIR [NAME=value ...]
  ci_files.py extract-scripts action.yml DIR

Each check prints what is wrong and exits 1; 0 means the file is well-formed. run-action
executes the `run:` steps of the composite action the way the Actions runner does (inputs and
step outputs substituted, env, working-directory, GITHUB_OUTPUT, `if:`), and prints one line
per step: `run <id> <exit code>` or `uses <action> <with as JSON>` for steps that call another
action (these are not run: they need GitHub). run-gitlab-job runs a job's before_script and
script lines in one bash, as the GitLab runner does, with the job's variables (after
`extends`) overridden by NAME=value. extract-scripts writes each `run:` step of the action to
DIR/step-N.sh, for shellcheck.
"""

import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

problems = []


def problem(message):
    problems.append(message)


def finish():
    for p in problems:
        print("problem: " + p)
    sys.exit(1 if problems else 0)


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def strings_in(node):
    """Every string anywhere in a parsed YAML document."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from strings_in(k)
            yield from strings_in(v)
    elif isinstance(node, list):
        for v in node:
            yield from strings_in(v)


EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}")


def check_manifest(path):
    hooks = load(path)
    if not isinstance(hooks, list) or not hooks:
        return problem("the manifest is a non-empty list of hooks")
    by_id = {h.get("id"): h for h in hooks if isinstance(h, dict)}
    hook = by_id.get("mpauth")
    if hook is None:
        return problem("no hook with id 'mpauth'")
    expected = {
        "entry": "mpauth check",
        "language": "system",
        "require_serial": True,
        "types_or": ["javascript", "ts", "tsx", "jsx", "vue"],
    }
    for key, value in expected.items():
        if hook.get(key) != value:
            problem(f"mpauth.{key} is {hook.get(key)!r}, expected {value!r}")
    if hook.get("pass_filenames", True) is not True:
        problem("mpauth.pass_filenames must be true: mpauth reports only the named files")
    for key in ("name", "description"):
        if not hook.get(key):
            problem(f"mpauth.{key} is missing")


def check_action(path):
    action = load(path)
    for key in ("name", "description", "inputs", "runs"):
        if key not in action:
            problem(f"action.{key} is missing")
    inputs = action.get("inputs", {})
    for name in ("path", "args", "category", "upload", "sarif-file", "fail-on", "mpauth"):
        if name not in inputs:
            problem(f"input '{name}' is missing")
        elif "description" not in inputs[name]:
            problem(f"input '{name}' has no description")
    if inputs.get("path", {}).get("default") != ".":
        problem("input 'path' defaults to '.'")
    if str(inputs.get("upload", {}).get("default")).lower() != "true":
        problem("input 'upload' defaults to true")
    runs = action.get("runs", {})
    if runs.get("using") != "composite":
        problem("runs.using must be 'composite'")
    steps = runs.get("steps", [])
    step_ids = {s.get("id") for s in steps if s.get("id")}
    # Every ${{ inputs.X }} names an input; every ${{ steps.ID.outputs.X }} a step before it.
    for text in strings_in(action):
        for expression in EXPRESSION.findall(text):
            for name in re.findall(r"\binputs\.([A-Za-z0-9_-]+)", expression):
                if name not in inputs:
                    problem(f"'{expression.strip()}' names input '{name}', which does not exist")
            for step in re.findall(r"\bsteps\.([A-Za-z0-9_-]+)\.", expression):
                if step not in step_ids:
                    problem(f"'{expression.strip()}' names step '{step}', which does not exist")
    for i, step in enumerate(steps):
        if "run" in step and "shell" not in step:
            problem(f"step {i}: a composite action's run step needs 'shell'")
        if "run" in step and "${{" in step["run"]:
            problem(f"step {i}: inputs reach a script through env, not pasted into it")
    sarif_runs = [s for s in steps if "--format sarif" in s.get("run", "")]
    if len(sarif_runs) != 1:
        problem("exactly one step runs mpauth with --format sarif")
    elif "--fail-on never" not in sarif_runs[0]["run"] or "--output" not in sarif_runs[0]["run"]:
        problem("the SARIF run writes --output and uses --fail-on never (the upload comes first)")
    uploads = [s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@")]
    if len(uploads) != 1:
        problem("exactly one step uses github/codeql-action/upload-sarif")
    else:
        upload = uploads[0]
        if upload["uses"] != "github/codeql-action/upload-sarif@v3":
            problem("upload-sarif is pinned to @v3")
        for key in ("sarif_file", "category"):
            if key not in upload.get("with", {}):
                problem(f"upload-sarif has no '{key}'")
        if sarif_runs and steps.index(upload) < steps.index(sarif_runs[0]):
            problem("the upload comes after the SARIF run")
        gates = [s for s in steps[steps.index(upload) + 1:] if "MPAUTH_FAIL_ON" in json.dumps(s)]
        if not gates:
            problem("a step after the upload fails according to 'fail-on'")
    for name in ("sarif-file", "category"):
        if name not in action.get("outputs", {}):
            problem(f"output '{name}' is missing")


def check_workflow(path):
    workflow = load(path)
    # YAML 1.1 reads the key `on` as the boolean True.
    on = workflow.get("on", workflow.get(True))
    if not on:
        problem("the workflow has no 'on'")
    jobs = workflow.get("jobs", {})
    if not jobs:
        return problem("the workflow has no jobs")
    uses = []
    matrix_jobs = []
    for name, job in jobs.items():
        if "runs-on" not in job:
            problem(f"job '{name}' has no runs-on")
        for step in job.get("steps", []):
            if "uses" not in step and "run" not in step:
                problem(f"job '{name}': a step neither uses nor runs anything")
            if "uses" in step:
                uses.append((name, step))
        if "matrix" in job.get("strategy", {}):
            matrix_jobs.append((name, job))
    build = " ".join(s.get("run", "") for job in jobs.values() for s in job.get("steps", []))
    for needed in ("scripts/setup", "--preset release"):
        if needed not in build:
            problem(f"no step runs '{needed}' to build mpauth")
    if not any(s["uses"].startswith("actions/checkout@") for _, s in uses):
        problem("no step checks out the repository")
    if not matrix_jobs:
        return problem("no job runs per project in a matrix")
    for name, job in matrix_jobs:
        if job.get("permissions", {}).get("security-events") != "write":
            problem(f"job '{name}' needs permissions: security-events: write to upload SARIF")
        analysis = [s for s in job.get("steps", []) if "uses" in s and {"path", "category"} <= set(s.get("with", {}))]
        if not analysis:
            problem(f"job '{name}' does not run the mpauth action with path and category")
        for step in analysis:
            if "matrix." not in str(step["with"]["category"]):
                problem(f"job '{name}': the category must differ per project (use the matrix)")
            root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(path))))
            known = set(load(os.path.join(root, "action.yml"))["inputs"])
            for key in step["with"]:
                if key not in known:
                    problem(f"job '{name}' passes '{key}', which the action does not have")


def check_gitlab(path):
    config = load(path)
    report = config.get(".mpauth-report")
    if not isinstance(report, dict):
        return problem("no template job '.mpauth-report'")
    codequality = report.get("artifacts", {}).get("reports", {}).get("codequality")
    if codequality != "gl-code-quality-report.json":
        problem("artifacts.reports.codequality must be gl-code-quality-report.json")
    if report.get("artifacts", {}).get("when") != "always":
        problem("artifacts.when must be 'always': a failing job still hands over its report")
    script = "\n".join(report.get("script", []))
    if "--format gitlab" not in script or "--output gl-code-quality-report.json" not in script:
        problem("the script writes --format gitlab to gl-code-quality-report.json")
    build = config.get(".mpauth")
    if not isinstance(build, dict) or build.get("extends") != ".mpauth-report":
        problem("'.mpauth' extends '.mpauth-report'")
    for name, job in config.items():
        if not name.startswith(".") and isinstance(job, dict):
            problem(f"job '{name}' would run in every pipeline that includes the template")


def expression_value(expression, context):
    expression = expression.strip()
    m = re.fullmatch(r"(\S+)\s*(==|!=)\s*'([^']*)'", expression)
    if m:
        value = expression_value(m.group(1), context)
        return (value == m.group(3)) == (m.group(2) == "==")
    value = context
    for part in expression.split("."):
        value = value.get(part, "") if isinstance(value, dict) else ""
    return value


def substitute(text, context):
    def one(m):
        value = expression_value(m.group(1), context)
        return str(value).lower() if isinstance(value, bool) else str(value)

    return EXPRESSION.sub(one, str(text))


def run_action(path, workspace, assignments):
    action = load(path)
    inputs = {k: str(v.get("default", "")) for k, v in action["inputs"].items()}
    for a in assignments:
        name, _, value = a.partition("=")
        if name not in inputs:
            print(f"unknown input {name}", file=sys.stderr)
            sys.exit(2)
        inputs[name] = value
    temp = tempfile.mkdtemp(prefix="runner-temp")
    context = {"inputs": inputs, "steps": {}, "github": {"workspace": workspace},
               "runner": {"temp": temp}}
    for i, step in enumerate(action["runs"]["steps"]):
        sid = step.get("id", f"step{i}")
        condition = step.get("if")
        if condition is not None:
            inner = EXPRESSION.fullmatch(condition.strip())
            if not expression_value(inner.group(1) if inner else condition, context):
                print(f"skip {sid}")
                continue
        if "uses" in step:
            resolved = {k: substitute(v, context) for k, v in step.get("with", {}).items()}
            print(f"uses {step['uses']} {json.dumps(resolved, sort_keys=True)}")
            continue
        output_file = os.path.join(temp, f"output-{i}")
        open(output_file, "w").close()
        env = dict(os.environ)
        env.update({k: substitute(v, context) for k, v in step.get("env", {}).items()})
        env.update({"GITHUB_OUTPUT": output_file, "GITHUB_WORKSPACE": workspace,
                    "RUNNER_TEMP": temp})
        cwd = substitute(step.get("working-directory", workspace), context)
        shell = step["shell"]
        if shell != "bash":
            print(f"unsupported shell {shell}", file=sys.stderr)
            sys.exit(2)
        with tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False) as script:
            script.write(step["run"])
        # The runner's own command line for `shell: bash`.
        code = subprocess.call(["bash", "--noprofile", "--norc", "-eo", "pipefail", script.name],
                               cwd=cwd, env=env)
        os.unlink(script.name)
        outputs = {}
        with open(output_file, encoding="utf-8") as f:
            for line in f:
                name, _, value = line.rstrip("\n").partition("=")
                outputs[name] = value
        context["steps"][sid] = {"outputs": outputs}
        print(f"run {sid} {code} {json.dumps(outputs, sort_keys=True)}")
        if code != 0:
            sys.exit(code)
    sys.exit(0)


def job_with_extends(config, name):
    job = dict(config[name])
    parent = job.pop("extends", None)
    if parent is None:
        return job
    merged = job_with_extends(config, parent)
    variables = dict(merged.get("variables", {}))
    variables.update(job.get("variables", {}))
    merged.update(job)
    merged["variables"] = variables
    return merged


def run_gitlab_job(path, name, workdir, assignments):
    job = job_with_extends(load(path), name)
    env = dict(os.environ)
    env.update({k: str(v) for k, v in job.get("variables", {}).items()})
    for a in assignments:
        key, _, value = a.partition("=")
        env[key] = value
    lines = job.get("before_script", []) + job.get("script", [])
    # The GitLab runner's bash: errexit, every line in one shell.
    script = "set -eo pipefail\n" + "\n".join(lines) + "\n"
    sys.exit(subprocess.call(["bash", "--noprofile", "--norc", "-c", script], cwd=workdir, env=env))


def extract_scripts(path, directory):
    for i, step in enumerate(load(path)["runs"]["steps"]):
        if "run" in step:
            with open(os.path.join(directory, f"step-{i}.sh"), "w", encoding="utf-8") as f:
                f.write(f"#!/usr/bin/env {step['shell']}\n" + step["run"])


def main(argv):
    command, args = argv[1], argv[2:]
    checks = {"check-manifest": check_manifest, "check-action": check_action,
              "check-workflow": check_workflow, "check-gitlab": check_gitlab}
    if command in checks:
        checks[command](args[0])
        finish()
    elif command == "run-action":
        run_action(args[0], args[1], args[2:])
    elif command == "extract-scripts":
        extract_scripts(args[0], args[1])
    elif command == "run-gitlab-job":
        run_gitlab_job(args[0], args[1], args[2], args[3:])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main(sys.argv)
