"""Report benchmark (placeholder until tracker.reports can render PDFs)."""

import sys


def main(argv: list[str] | None = None) -> int:  # noqa: ARG001
    print("\nRapporter: tracker.reports kan ikke lage PDF ennå; hoppes over.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
