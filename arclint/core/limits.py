"""Every bound arclint puts on its input and its work, each under one name with one meaning.

A value beyond a bound is never guessed at: loaders report a finding at its line (ARC001), the evaluator
turns it into an unknown that names the limit (ARC002), the script scanner stops examining. ``docs/security.md``
lists them with the tests that hold them.
"""

from __future__ import annotations

# --- files ---------------------------------------------------------------------------------------
MAX_FILE_BYTES = 10 * 1024 * 1024  # files a configuration references (file(), templatefile(), scripts)
MAX_SCANNED_BYTES = MAX_FILE_BYTES * 5  # configuration files in JSON (Packer legacy, .tf.json, plans)
MAX_HCL_BYTES = 4 * 1024 * 1024  # larger HCL files are not parsed: the parser takes ~1.5 s and ~100 MB per MB
MAX_GIT_CONFIG_BYTES = 256 * 1024  # a work tree's .git/config read to find its GitHub remote
MAX_GIT_LEVELS = 64  # folders walked up from the scan root looking for .git
MAX_CONFIG_BYTES = 1024 * 1024  # a configuration file (.arclint.yaml, pyproject.toml) read

# --- loading -------------------------------------------------------------------------------------
MAX_HCL_NESTING = 500  # HCL blocks and expressions (templates in heredocs counted) nested deeper: not loaded
MAX_JSON_NESTING = 500  # JSON objects and arrays nested deeper: not loaded
MAX_CONDITION_DEPTH = 32  # a policy's conditions (all, any, not) nested deeper: the policy is refused
MAX_TEMPLATE_PARTS = 10_000  # interpolations and directives in one template; each is parsed on its own

# --- evaluation ----------------------------------------------------------------------------------
MAX_EVALUATION_DEPTH = 200  # nested evaluations on the stack, across evaluators (templatefile() renders inside)
MAX_STEPS = 2_000_000  # expression evaluations per configuration: a bound on exploding locals
MAX_ITEMS = 100_000  # items a for expression or a collection function produces
MAX_STRING = 16 * 1024 * 1024  # longer strings become unknown: a bound on doubling templates
MAX_NODES = 1_000_000  # lists and maps with more parts (shared parts counted each time) become unknown
MAX_NUMBER_DIGITS = 600  # longer integers become unknown (below Python's smallest int_max_str_digits, 640)
MAX_FORMAT_WIDTH = 10_000  # widths and precisions in format() verbs
MAX_REGEX_TEXT = 16_384  # longest text a regular expression with one repetition is applied to
MAX_REGEX_TEXT_2 = 1_024  # ... with two repetitions (the work grows with the cube of the length)
MAX_REGEX_ALTERNATIVES = 64  # alternatives in a regular expression evaluated
MAX_TEMPLATE_CACHE_CHARS = 16 * 1024 * 1024  # template text kept parsed during one scan
MAX_INSTANCES = 256  # count/for_each instances expanded; more are checked as one
MAX_MODULE_DEPTH = 16  # module calls nested deeper are not followed
MAX_SWITCHES_TOGETHER = 8  # input switches whose combination is reported as a condition
MAX_SWITCHES_ALONE = 32  # input switches of one configuration explored one by one

# --- modelling -----------------------------------------------------------------------------------
MAX_VALUE_NESTING = 20  # levels of a script-carrying value (lists, maps) examined for scripts
MAX_SCRIPT_CHAIN = 8  # files that write and run files that write and run files ...
MAX_WRITES = 200  # pending written files per target
MAX_DECODE_DEPTH = 2  # nested encoded payloads (powershell -EncodedCommand, echo <b64> | base64 -d)
MAX_DECODED = 4 * 1024 * 1024  # bytes of one decoded payload examined
MAX_LOGICAL_LINE = 64 * 1024  # longest logical line of a script examined (pathological input stays linear)
MAX_SEGMENT = 16384  # longest single command examined
MAX_HARDENING = 20  # hardening steps reported per text
MAX_CONFIG_BLOCK = 4000  # characters of a DSC resource or Ansible task examined
MAX_EVIDENCE_TEXT = 200  # characters of a line shown as evidence

# --- reporting -----------------------------------------------------------------------------------
MAX_NAMED_INSTANCES = 10  # instance keys named in a message; the JSON report lists them all
