# fish completion for e7ctl(1)

set -l commands allow block clear query list mode get set enable disable stats log reload agent interactive
set -l flags log-allowed log-blocked log-kernel incoming policy-no-daemon policy-timeout policy-overflow policy-unidentified policy-unparsed policy-no-agent policy-agent-gone default-answer prompt-timeout profile
set -l modes ask allow-unknown deny-unknown disabled block-all
set -l protocols tcp udp icmp icmpv6 sctp udplite any

complete -c e7ctl -f
complete -c e7ctl -s j -l json -d 'Print JSON'
complete -c e7ctl -l session -d 'Talk to an e7d on the session bus'
complete -c e7ctl -s f -l follow -d 'log: keep printing new events'
complete -c e7ctl -s n -l count -x -d 'log: at most N past events'
complete -c e7ctl -s a -l all-users -d 'log: the events of all users'
complete -c e7ctl -l version -d 'Print the version'

complete -c e7ctl -n "not __fish_seen_subcommand_from $commands" -a 'allow block' -d 'Add a rule'
complete -c e7ctl -n "not __fish_seen_subcommand_from $commands" -a clear -d 'Remove rules'
complete -c e7ctl -n "not __fish_seen_subcommand_from $commands" -a 'query list' -d 'List rules'
complete -c e7ctl -n "not __fish_seen_subcommand_from $commands" -a mode -d 'Show or set the mode'
complete -c e7ctl -n "not __fish_seen_subcommand_from $commands" -a get -d 'Show settings'
complete -c e7ctl -n "not __fish_seen_subcommand_from $commands" -a set -d 'Change a setting'
complete -c e7ctl -n "not __fish_seen_subcommand_from $commands" -a 'enable disable' -d 'The firewall or a flag'
complete -c e7ctl -n "not __fish_seen_subcommand_from $commands" -a stats -d Counters
complete -c e7ctl -n "not __fish_seen_subcommand_from $commands" -a log -d 'Connection events'
complete -c e7ctl -n "not __fish_seen_subcommand_from $commands" -a reload -d 'Re-read the rules and e7d.conf'
complete -c e7ctl -n "not __fish_seen_subcommand_from $commands" -a agent -d 'Answer prompts from the terminal'
complete -c e7ctl -n "not __fish_seen_subcommand_from $commands" -a interactive -d 'Read commands from standard input'

complete -c e7ctl -n '__fish_seen_subcommand_from allow block' -F -a "$protocols in out to from port user for until once forever"
complete -c e7ctl -n '__fish_seen_subcommand_from mode' -a "$modes"
complete -c e7ctl -n '__fish_seen_subcommand_from get enable disable' -a "$flags mode"
complete -c e7ctl -n '__fish_seen_subcommand_from set' -a "$flags mode on off allow block $modes"
complete -c e7ctl -n '__fish_seen_subcommand_from clear query list' -a "all allow block $protocols"
complete -c e7ctl -n '__fish_seen_subcommand_from agent' -l answer -x -a 'allow block ignore dismiss' -d 'The answer'
complete -c e7ctl -n '__fish_seen_subcommand_from agent' -l lifetime -x -a 'once process session forever seconds' -d 'The rule lifetime'
complete -c e7ctl -n '__fish_seen_subcommand_from agent' -l scope -x -a 'program destination port' -d 'What the rule covers'
complete -c e7ctl -n '__fish_seen_subcommand_from agent' -l duration -x -d 'Seconds, with --lifetime seconds'
complete -c e7ctl -n '__fish_seen_subcommand_from agent' -l delay -x -d 'Answer after N ms'
complete -c e7ctl -n '__fish_seen_subcommand_from agent' -l prompts -x -d 'Exit after N answers'
