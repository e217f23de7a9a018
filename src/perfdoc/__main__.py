from perfdoc.early import run

run()
