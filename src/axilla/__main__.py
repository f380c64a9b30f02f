import sys

from axilla.cli import main

sys.exit(main())
