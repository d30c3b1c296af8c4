"""``python -m crmtpl``."""

from crmtpl.cli import main

if __name__ == "__main__":
    main()
