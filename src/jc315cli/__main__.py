from jc315cli.launch import main

main()
