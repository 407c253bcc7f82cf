"""``python -m golit ARGS`` runs the bundled golit binary: ``golit ARGS``."""

import sys

from golit import main

sys.exit(main())
