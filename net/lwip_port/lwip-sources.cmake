# SPDX-License-Identifier: MIT
# The lwIP 2.1.3 files vthread builds (IPv4, TCP, UDP, DHCP, DNS, ARP,
# Ethernet; no netconn or socket API), relative to its src/: for the
# network library (CMakeLists.txt) and the fuzz targets (tests/fuzz).
set(VT_LWIP_FILES
  core/init.c core/def.c core/dns.c core/inet_chksum.c core/ip.c core/mem.c core/memp.c
  core/netif.c core/pbuf.c core/raw.c core/stats.c core/sys.c core/tcp.c core/tcp_in.c
  core/tcp_out.c core/timeouts.c core/udp.c core/ipv4/dhcp.c core/ipv4/etharp.c
  core/ipv4/icmp.c core/ipv4/ip4.c core/ipv4/ip4_addr.c core/ipv4/ip4_frag.c
  netif/ethernet.c)
