// UDPServer.java - the UDP upper-case echo server in Java, as a student writes it (tests/it-grade.sh, tests/it-detect.sh)
import java.net.*;

class UDPServer {
	public static void main(String[] args) throws Exception {
		DatagramSocket s = new DatagramSocket(12000);
		byte[] buf = new byte[2048];
		while (true) {
			DatagramPacket p = new DatagramPacket(buf, buf.length);
			s.receive(p);
			byte[] out = new byte[p.getLength()];
			for (int i = 0; i < out.length; i++) {
				byte b = buf[i];
				out[i] = (b >= 'a' && b <= 'z') ? (byte) (b - 32) : b;
			}
			s.send(new DatagramPacket(out, out.length, p.getAddress(), p.getPort()));
		}
	}
}
