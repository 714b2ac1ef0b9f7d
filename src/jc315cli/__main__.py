from jc315cli.cli import main

main()
