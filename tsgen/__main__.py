from tsgen.cli import main

main()
